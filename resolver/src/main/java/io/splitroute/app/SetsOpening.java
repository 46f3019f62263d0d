package io.splitroute.app;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.sets.RouteSets;
import io.splitroute.sets.SetWriters;
import io.splitroute.sink.SetWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Opens the kernel set writer and checks (or creates) the config's sets on a thread of its own, while the rest
 * of a start goes on: opening links the netlink calls, a good part of a start's time. The start waits for it
 * ({@link #join}) before it builds the query path, so no query is answered before its sets are usable, and a
 * set that is missing still stops the start before anything listens.
 */
final class SetsOpening {
    /** The writer, and what is wrong with the sets (empty when they are ready). */
    record Opened(SetWriter writer, List<String> problems) {}

    private final FutureTask<Opened> task;

    private SetsOpening(FutureTask<Opened> task) {
        this.task = task;
    }

    /**
     * Starts opening: on a new thread when the config has sets to check (in the kernel, or in the writer the
     * options bring), on this one for a dry run or a config without sets (nothing slow to do).
     */
    static SetsOpening start(SplitrouteConfig config, RunOptions options) {
        FutureTask<Opened> task = new FutureTask<>(() -> {
            SetWriter writer = options.setWriter() != null ? options.setWriter()
                    : SetWriters.open(config.sets().sets(), options.dryRun(), config.sets().writeDeadline());
            try {
                return new Opened(writer, RouteSets.prepare(config.sets(), config.source(), writer));
            } catch (RuntimeException | Error e) {
                writer.close();
                throw e;
            }
        });
        if (options.dryRun() || config.sets().isEmpty()) {
            task.run();
        } else {
            Thread.ofPlatform().name("sets-open").daemon().start(task);
        }
        return new SetsOpening(task);
    }

    /** Waits for the writer; a failure to open it is rethrown as it was thrown. */
    Opened join() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the writer must not be left open behind a start that gave up
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException re -> throw re;
                case Error error -> throw error;
                default -> throw new IllegalStateException("opening the set writer failed", e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For a start that failed elsewhere: waits for the writer and closes it. */
    void abandon() {
        try {
            join().writer().close();
        } catch (RuntimeException | Error e) {
            // nothing was left open
        }
    }
}
