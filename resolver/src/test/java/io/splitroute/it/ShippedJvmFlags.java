package io.splitroute.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags splitroute ships with, read from the repository: {@code config/jvm.options} (one flag a line,
 * {@code #} comments) when it exists, else {@code SPLITROUTE_JAVA_OPTS} of {@code config/systemd/splitroute.service}.
 * Tests that must hold under the real heap ({@code -Xmx72m ... -XX:+ExitOnOutOfMemoryError}) start the jar with them.
 */
public final class ShippedJvmFlags {
    private static final Pattern UNIT_OPTS = Pattern.compile("Environment=SPLITROUTE_JAVA_OPTS=\"([^\"]*)\"");

    private ShippedJvmFlags() {}

    /** Returns the flags, in order. */
    public static List<String> read() throws IOException {
        Path options = find("config/jvm.options");
        if (options != null) {
            List<String> flags = new ArrayList<>();
            for (String line : Files.readAllLines(options)) {
                String flag = line.strip();
                if (!flag.isEmpty() && !flag.startsWith("#")) {
                    flags.add(flag);
                }
            }
            return flags;
        }
        Path unit = find("config/systemd/splitroute.service");
        if (unit == null) {
            throw new IllegalStateException("neither config/jvm.options nor config/systemd/splitroute.service found");
        }
        Matcher m = UNIT_OPTS.matcher(Files.readString(unit));
        if (!m.find()) {
            throw new IllegalStateException(unit + " sets no SPLITROUTE_JAVA_OPTS");
        }
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private static Path find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }
}
