package io.splitroute.cli;

import io.splitroute.admin.AdminEndpoint;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.update.DownloadProgress;
import io.splitroute.lists.update.ListSource;
import io.splitroute.lists.update.ListUpdater;
import io.splitroute.lists.update.UpdateResult;
import io.splitroute.routing.RouteLists;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code splitroute lists update}: downloads every list that has a {@code url}, replaces a list only with a
 * plausible copy, prints one line per list, and asks the running server to reload when one changed (through
 * its admin endpoint, or by SIGHUP to a pid file).
 */
@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {
    "Download every list that has a url: in the config, and replace it if the download is good.",
    "A download must parse, have at least min-rules rules and at least max-shrink of the current copy's rules; "
        + "otherwise the list in service stays. The previous copy is kept as FILE.prev. Prints one line per "
        + "list; progress only on a terminal, so cron mail stays short.",
    "After an update the running server is asked to reload: POST /reload to the admin listener of the config "
        + "(admin: listen:), or SIGHUP to --pid-file when that cannot be reached. It prints which; a server "
        + "that is not running reads the new lists when it starts.",
    "Exit status: 0 when every list is current or updated, 1 when any download failed or was rejected "
        + "(or the server refused the reload, or could not be asked), 2 for a config error.",
    "For cron: see config/cron/splitroute-lists in the source tree."})
public final class ListsUpdateCommand implements Callable<Integer> {
    /** A reload re-reads every list: about a second for the big ones, more on a busy router. */
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The YAML config (default: the embedded one).")
    Path config;

    @Option(names = "--no-reload", description = "Do not ask the running server to reload after an update.")
    boolean noReload;

    @Option(names = "--pid-file", paramLabel = "FILE",
            description = "When the admin endpoint of the config cannot be reached (admin: off, or it did not "
                    + "answer), send SIGHUP to the splitroute whose PID this file holds instead.")
    Path pidFile;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SplitrouteConfig loaded = ConfigFile.load(config);
        if (loaded == null) {
            return ConfigFile.BAD_CONFIG;
        }
        List<ListSource> sources;
        try {
            sources = RouteLists.sources(loaded);
        } catch (IllegalArgumentException e) {
            System.err.println("splitroute: " + e.getMessage());
            return 2;
        }
        if (sources.isEmpty()) {
            out.println("no list in " + loaded.source() + " has a url: nothing to update");
            return 0;
        }
        TerminalProgress progress = System.console() != null ? new TerminalProgress(out) : null;
        ListUpdater updater = new ListUpdater();
        boolean allCurrent = true;
        boolean anyUpdated = false;
        for (ListSource source : sources) {
            UpdateResult result = updater.update(source, progress == null ? DownloadProgress.NONE : progress);
            if (progress != null) {
                progress.clear();
            }
            out.println(result.line());
            result.details().forEach(line -> out.println("  " + line));
            allCurrent &= result.current();
            anyUpdated |= result instanceof UpdateResult.Updated;
        }
        boolean signalled = !anyUpdated || noReload || reload(loaded, out);
        return allCurrent && signalled ? 0 : 1;
    }

    /**
     * Asks the running server to reload, and says how: through the admin endpoint of the config, else by
     * SIGHUP to {@code --pid-file}. Returns false (after saying why) when it was asked and refused, or could
     * not be asked; true when it reloaded, or is not running (it reads the new lists when it starts).
     */
    private boolean reload(SplitrouteConfig config, PrintStream out) {
        AdminEndpoint admin;
        try {
            admin = AdminEndpoint.of(config.admin(), RELOAD_TIMEOUT);
        } catch (IOException e) { // the token file, unreadable by this user
            System.err.println("splitroute: cannot ask the running server to reload: " + e.getMessage()
                    + (pidFile != null ? "; signalling the pid in " + pidFile + " instead" : ""));
            return pidFile != null && signal(out);
        }
        if (admin != null) {
            URI endpoint = admin.base().resolve("/reload");
            try {
                AdminEndpoint.Response response = admin.post("/reload");
                if (response.status() == 200) {
                    out.println("reload requested through " + endpoint + ": " + response.firstLine());
                    return true;
                }
                if (response.status() == 500) {
                    System.err.println("splitroute: the running server refused the new lists and keeps the ones it had ("
                            + endpoint + "): " + response.body().strip());
                    return false;
                }
                System.err.println("splitroute: " + endpoint + " answered " + response.status() + ": " + response.firstLine()
                        + (pidFile != null ? "; signalling the pid in " + pidFile + " instead" : ""));
                return pidFile != null && signal(out);
            } catch (ConnectException e) {
                if (pidFile == null) {
                    out.println("splitroute is not running (nothing listens on " + admin.base()
                            + "): it reads the new lists when it starts");
                    return true;
                }
            } catch (IOException e) {
                System.err.println("splitroute: cannot ask " + endpoint + " to reload: " + e
                        + (pidFile != null ? "; signalling the pid in " + pidFile + " instead" : ""));
                if (pidFile == null) {
                    return false;
                }
            }
        }
        if (pidFile == null) {
            out.println("reload splitroute to use the new lists: systemctl reload splitroute"
                    + " (admin: is off in " + config.source() + "; or give --pid-file to signal it)");
            return true;
        }
        return signal(out);
    }

    /** Sends SIGHUP to the process in {@code --pid-file}; returns false (after saying why) if it could not. */
    private boolean signal(PrintStream out) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
                System.err.println("splitroute: no process " + pid + " (from " + pidFile + "): the new lists are used "
                        + "at the next start");
                return false;
            }
            // Java cannot send a signal to another process itself.
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroy();
                System.err.println("splitroute: kill -HUP " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes()).strip());
                return false;
            }
            out.println("reload requested: SIGHUP sent to splitroute (pid " + pid + ")");
            return true;
        } catch (IOException | NumberFormatException e) {
            System.err.println("splitroute: cannot signal the server from " + pidFile + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Shows a download's progress on one terminal line, only for downloads that take more than a second. */
    private static final class TerminalProgress implements DownloadProgress {
        private static final long SHOW_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
        private static final long EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
        private final PrintStream out;
        private String list;
        private long started;
        private long shown;
        private boolean dirty;

        TerminalProgress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void update(String name, long received, long total) {
            long now = System.nanoTime();
            if (!name.equals(list)) {
                list = name;
                started = now;
                shown = 0;
            }
            if (now - started < SHOW_AFTER_NANOS || now - shown < EVERY_NANOS) {
                return;
            }
            shown = now;
            dirty = true;
            String size = total > 0 ? mib(received) + " of " + mib(total) + " MiB" : mib(received) + " MiB";
            out.print("\r" + name + ": downloading " + size + "   ");
            out.flush();
        }

        void clear() {
            if (dirty) {
                out.print("\r" + " ".repeat(72) + "\r");
                dirty = false;
            }
            list = null;
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
        }
    }
}
