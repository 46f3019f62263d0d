package io.splitroute.cli;

import io.splitroute.app.Lifecycle;
import io.splitroute.config.SplitrouteConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code splitroute run}: serves DNS until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {
    "Serve DNS until SIGTERM or Ctrl-C.",
    "Without --config, runs on the embedded default: listens on 127.0.0.1:5300 and forwards to the "
        + "nameservers in /etc/resolv.conf, with the bundled gfwlist as route 'tunnel'; no root needed. "
        + "On SIGTERM it stops listening, finishes the queries in flight and exits 0."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML config file (example: config/splitroute.yaml in the source tree).")
    Path config;

    @Option(names = "--dry-run", description = "Do not write to kernel sets; record the writes in memory instead "
            + "(no CAP_NET_ADMIN needed). Everything else runs for real.")
    boolean dryRun;

    /**
     * Reads {@code run [-c|--config FILE] [--dry-run]} without picocli, whose annotation scanning costs a
     * starting server about 0.15 s of CPU (and whose classes the JVM's ahead-of-time cache cannot hold);
     * anything else (help, a typo, another command) returns {@code null} and goes to picocli.
     */
    static RunCommand fromArguments(String[] args) {
        if (args.length == 0 || !args[0].equals("run")) {
            return null;
        }
        RunCommand run = new RunCommand();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--dry-run") && !run.dryRun) {
                run.dryRun = true;
            } else if ((arg.equals("-c") || arg.equals("--config")) && i + 1 < args.length && run.config == null
                    && !args[i + 1].startsWith("-")) {
                run.config = Path.of(args[++i]);
            } else if (arg.startsWith("--config=") && arg.length() > 9 && run.config == null) {
                run.config = Path.of(arg.substring(9));
            } else {
                return null;
            }
        }
        return run;
    }

    @Override
    public Integer call() {
        SplitrouteConfig loaded = ConfigFile.load(config);
        if (loaded == null) {
            return ConfigFile.BAD_CONFIG;
        }
        return new Lifecycle(loaded, config, dryRun, VersionCommand.version()).runUntilStopped();
    }
}
