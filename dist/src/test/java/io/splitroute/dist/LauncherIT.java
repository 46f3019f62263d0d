package io.splitroute.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/splitroute} from the unpacked tarball: which Java it picks, what it says when there is no Java 25,
 * and that it applies the JVM flags file and passes the command through. Each run gets a made-up environment:
 * a fake Java 17 (a {@code release} file and a {@code bin/java} that must never run) and Java homes whose
 * {@code bin/java} hands over to the build's JDK 25.
 */
class LauncherIT {
    private static final Path JDK25 = Path.of(System.getProperty("java.home"));
    private static final Path LAUNCHER = Launch.DIST.resolve("bin/splitroute");

    @TempDir
    static Path tmp;
    private static Path jdk17;
    private static Path pathWithJava17;
    private static Path pathWithJava25;

    @BeforeAll
    static void fakeJavas() throws Exception {
        jdk17 = tmp.resolve("jdk-17");
        Files.createDirectories(jdk17.resolve("bin"));
        Files.writeString(jdk17.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java17 = Files.writeString(jdk17.resolve("bin/java"), "#!/bin/sh\necho 'fake java 17 ran' >&2\nexit 99\n");
        java17.toFile().setExecutable(true);
        pathWithJava17 = Files.createDirectories(tmp.resolve("path17"));
        Files.createSymbolicLink(pathWithJava17.resolve("java"), java17);
        // No release file here: the launcher has to ask this java for its version.
        pathWithJava25 = java25Home(tmp.resolve("jdk-25-on-path"), false).resolve("bin");
    }

    /** A Java home whose bin/java runs the build's JDK 25, with or without the JDK's release file. */
    private static Path java25Home(Path home, boolean withRelease) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexec '" + JDK25.resolve("bin/java") + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        if (withRelease) {
            Files.copy(JDK25.resolve("release"), home.resolve("release"));
        }
        return home;
    }

    private static String path(Path first) {
        return first + ":/usr/bin:/bin";
    }

    @Test
    void noJava25_saysWhatItFoundAndHowToFixIt() throws Exception {
        Launch launch = Launch.run(LAUNCHER, Map.of("JAVA_HOME", jdk17.toString(), "PATH", path(pathWithJava17)), "version");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.stdout()).isEmpty();
        assertThat(launch.stderr())
                .contains("splitroute: needs Java 25 or newer")
                .contains("JAVA_HOME (" + jdk17 + "): Java 17")
                .contains("java on the PATH (" + jdk17 + "): Java 17")
                .contains("point JAVA_HOME (or SPLITROUTE_JAVA_HOME) at it")
                .doesNotContain("fake java 17 ran");
    }

    @Test
    void javaHomeTooOld_javaOnPathIsUsed() throws Exception {
        Launch launch = Launch.run(LAUNCHER, Map.of("JAVA_HOME", jdk17.toString(), "PATH", path(pathWithJava25)), "version");

        assertThat(launch.exitCode()).as(launch.stderr()).isZero();
        assertThat(launch.stdout()).startsWith("splitroute " + Launch.VERSION + "\nJava 25");
    }

    @Test
    void splitrouteJavaHomeTooOld_isAnErrorEvenWithJava25Elsewhere() throws Exception {
        Launch launch = Launch.run(LAUNCHER, Map.of("SPLITROUTE_JAVA_HOME", jdk17.toString(),
                "JAVA_HOME", JDK25.toString(), "PATH", path(pathWithJava25)), "version");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.stderr()).contains("SPLITROUTE_JAVA_HOME (" + jdk17 + "): Java 17");
    }

    @Test
    void bundledRuntime_comesBeforeJavaHomeAndPath(@TempDir Path install) throws Exception {
        Path launcher = install.resolve("bin/splitroute");
        Files.createDirectories(launcher.getParent());
        Files.copy(LAUNCHER, launcher);
        Files.createDirectories(install.resolve("lib"));
        Files.copy(Launch.DIST.resolve("lib/splitroute.jar"), install.resolve("lib/splitroute.jar"));
        java25Home(install.resolve("runtime"), true);

        // The only Java 25 there is the bundled one.
        Launch launch = Launch.run(launcher, Map.of("JAVA_HOME", jdk17.toString(), "PATH", path(pathWithJava17)), "version");

        assertThat(launch.exitCode()).as(launch.stderr()).isZero();
        assertThat(launch.stdout()).startsWith("splitroute " + Launch.VERSION + "\nJava 25");
    }

    @Test
    void shippedFlagsFile_isApplied() throws Exception {
        Launch launch = Launch.run(LAUNCHER, Map.of("PATH", path(pathWithJava25),
                "SPLITROUTE_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "version");

        assertThat(launch.exitCode()).as(launch.stderr()).isZero();
        // config/jvm.options beside bin/: -Xmx72m, SerialGC, C1 only.
        assertThat(launch.stdout()).contains("-XX:MaxHeapSize=75497472", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    @Test
    void flagsFileNamedInTheEnvironment_replacesTheShippedOne() throws Exception {
        Path options = Files.writeString(tmp.resolve("jvm.options"), "# test flags\n-Xmx40m   # a comment\n-Dlauncher.test=yes\n");

        Launch launch = Launch.run(LAUNCHER, Map.of("PATH", path(pathWithJava25), "SPLITROUTE_JVM_OPTIONS", options.toString(),
                "SPLITROUTE_JAVA_OPTS", "-XX:+PrintCommandLineFlags -XshowSettings:properties"), "version");

        assertThat(launch.exitCode()).as(launch.stderr()).isZero();
        assertThat(launch.stdout()).contains("-XX:MaxHeapSize=41943040").doesNotContain("UseSerialGC");
        assertThat(launch.stderr()).contains("launcher.test = yes");
    }

    @Test
    void flagsFileMissing_isAnError() throws Exception {
        Launch launch = Launch.run(LAUNCHER, Map.of("PATH", path(pathWithJava25),
                "SPLITROUTE_JVM_OPTIONS", tmp.resolve("nowhere.options").toString()), "version");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.stderr()).contains("cannot read the JVM flags file " + tmp.resolve("nowhere.options"));
    }

    @Test
    void commandAndArguments_passedThroughWithExitStatus() throws Exception {
        Launch routed = Launch.run(LAUNCHER, Map.of("PATH", path(pathWithJava25)), "check", "www.google.com");
        Launch badOption = Launch.run(LAUNCHER, Map.of("PATH", path(pathWithJava25)), "check", "--no-such-option", "x.example");

        assertThat(routed.exitCode()).as(routed.stderr()).isZero();
        assertThat(routed.stdout()).contains("www.google.com").contains("tunnel");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.stderr()).contains("--no-such-option");
    }
}
