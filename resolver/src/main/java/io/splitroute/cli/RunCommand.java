package io.splitroute.cli;

import io.splitroute.Lifecycle;
import io.splitroute.config.ConfigException;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code splitroute run}: serves DNS until SIGTERM or SIGINT. */
@Command(name = "run", description = {
    "Serve DNS. Without --config, runs on the embedded default: listens on 127.0.0.1:5300 and forwards",
    "to the nameservers in /etc/resolv.conf; no root needed. Stops cleanly on SIGTERM or Ctrl-C."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML config file (example: config/splitroute.yaml in the source tree).")
    Path config;

    @Override
    public Integer call() {
        SplitrouteConfig loaded;
        try {
            loaded = config == null ? ConfigLoader.loadEmbedded() : ConfigLoader.load(config);
        } catch (NoSuchFileException e) {
            System.err.println("splitroute: config file not found: " + config);
            return 2;
        } catch (IOException e) {
            System.err.println("splitroute: cannot read " + config + ": " + e.getMessage());
            return 2;
        } catch (ConfigException e) {
            System.err.println("splitroute: " + e.getMessage());
            return 2;
        }
        return new Lifecycle(loaded).runUntilStopped();
    }
}
