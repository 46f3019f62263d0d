package io.splitroute.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code splitroute version}: prints the version and the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Print the version of splitroute and of the Java runtime.")
public final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
        return 0;
    }

    /** Returns splitroute's version line, {@code splitroute 0.1.0}, read from the jar manifest. */
    public static String version() {
        return new Provider().getVersion()[0];
    }

    /** Reads the version from the jar manifest. */
    public static final class Provider implements IVersionProvider {
        /** Returns the version lines. */
        @Override
        public String[] getVersion() {
            String version = VersionCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "splitroute " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
