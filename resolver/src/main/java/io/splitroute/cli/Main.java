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
            "Diagnose:    splitroute doctor              (as root, on the router)",
            ""},
        subcommands = {RunCommand.class, CheckCommand.class, DoctorCommand.class, ListsCommand.class, ImportDnsmasqCommand.class,
            VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {}

    /** Runs the command line and exits with the command's status. */
    public static void main(String[] args) {
        quietNettyMachineId();
        RunCommand run = RunCommand.fromArguments(args);
        if (run != null) {
            // Loading Netty's native transport (and its probing of the platform) is a good part of a start and
            // needs no config: on a thread of its own while logging starts and the config and lists are read.
            Thread.ofPlatform().name("netty-load").daemon().start(io.netty.channel.epoll.Epoll::isAvailable);
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Leak detection samples buffers on the hot path; the tests keep it on, production does not need it.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run != null ? run.call() : commandLine().execute(args));
    }

    /** Builds the command line (tests call it without exiting); help is wrapped to the terminal's width. */
    public static CommandLine commandLine() {
        return commandLine(HelpLayout.terminalWidth());
    }

    /** Builds the command line with help wrapped to {@code helpWidth} columns. */
    static CommandLine commandLine(int helpWidth) {
        CommandLine cli = new CommandLine(new Main());
        HelpLayout.install(cli, helpWidth);
        return cli;
    }

    /**
     * Gives Netty a machine id, which it otherwise derives from a network interface's hardware address, and
     * in a network namespace without one (a container, a namespace with only loopback) it warns at the
     * first channel and uses random bytes. The id only keeps channel ids unique, so random bytes are right.
     */
    static void quietNettyMachineId() {
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] id = new byte[8];
            new java.security.SecureRandom().nextBytes(id);
            System.setProperty("io.netty.machineId", java.util.HexFormat.ofDelimiter(":").formatHex(id));
        }
    }
}
