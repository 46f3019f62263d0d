package io.splitroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar splitroute.jar COMMAND}. */
@Command(name = "splitroute",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = {
            "A DNS forwarder for split-tunnel routers: names on your domain lists go to the upstream you "
                + "choose for them, and their addresses into kernel ipsets / nftables sets.",
            "",
            "Start with:  splitroute run                 (embedded default config, 127.0.0.1:5300)",
            "       or:   splitroute run --config /etc/splitroute/splitroute.yaml",
            "Explain:     splitroute check www.google.com",
            ""},
        subcommands = {RunCommand.class, CheckCommand.class, ListsCommand.class, ImportDnsmasqCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {}

    /** Runs the command line and exits with the command's status. */
    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Leak detection samples buffers on the hot path; the tests keep it on, production does not need it.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        RunCommand run = RunCommand.fromArguments(args);
        System.exit(run != null ? run.call() : commandLine().execute(args));
    }

    /** Builds the command line (tests call it without exiting). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setUsageHelpAutoWidth(true);
        return cli;
    }
}
