package io.splitroute.lists.update;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps lists with a {@code refresh} interval fresh inside a running server: on one daemon thread, each
 * list is updated once its interval has passed since the last attempt (the first time one interval after
 * start, not at start), and {@code onUpdated} runs once after a round in which any list was updated.
 *
 * <p>The sources are asked for again on every wake-up, so lists added or changed by a reload are picked
 * up within {@link #MAX_SLEEP}. A failure is logged once per cause (again only when it changes), and its
 * recovery once.
 */
public final class ListRefresher implements AutoCloseable {
    /** Longest sleep between two looks at the sources. */
    public static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    private static final System.Logger log = System.getLogger(ListRefresher.class.getName());

    private final ListUpdater updater;
    private final Supplier<List<ListSource>> sources;
    private final Runnable onUpdated;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Long> lastAttempt = new HashMap<>();
    private final Map<String, String> lastFailure = new HashMap<>();

    /**
     * Starts refreshing.
     *
     * @param updater   does the downloads
     * @param sources   the lists as configured now (those without a refresh interval are left alone)
     * @param onUpdated run after a round that updated at least one list (typically: reload)
     * @return the running refresher; {@link #close()} stops it
     */
    public static ListRefresher start(ListUpdater updater, Supplier<List<ListSource>> sources, Runnable onUpdated) {
        ListRefresher refresher = new ListRefresher(updater, sources, onUpdated);
        refresher.schedule(0); // the first round only notes the start time of each list
        return refresher;
    }

    private ListRefresher(ListUpdater updater, Supplier<List<ListSource>> sources, Runnable onUpdated) {
        this.updater = updater;
        this.sources = sources;
        this.onUpdated = onUpdated;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("list-refresh").daemon(true).factory());
    }

    private void schedule(long delayNanos) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::wake, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void wake() {
        long next = MAX_SLEEP.toNanos();
        try {
            next = round(System.nanoTime());
        } catch (RuntimeException e) {
            log.log(Level.ERROR, "list refresh failed: " + e, e);
        } finally {
            schedule(next);
        }
    }

    /** Updates the lists that are due; returns nanoseconds until the next is due (at most MAX_SLEEP). */
    private long round(long now) {
        long sleep = MAX_SLEEP.toNanos();
        List<UpdateResult> results = new ArrayList<>();
        for (ListSource source : sources.get()) {
            if (source.refresh() == null) {
                continue;
            }
            long interval = source.refresh().toNanos();
            long last = lastAttempt.computeIfAbsent(source.name(), n -> now);
            long due = last + interval - now;
            if (due <= 0) {
                lastAttempt.put(source.name(), now);
                results.add(updater.update(source, DownloadProgress.NONE));
                due = interval;
            }
            sleep = Math.min(sleep, due);
        }
        if (scheduler.isShutdown()) {
            return sleep; // closed during the round: a download cut short by close() is not a failure to report
        }
        results.forEach(this::report);
        if (results.stream().anyMatch(r -> r instanceof UpdateResult.Updated)) {
            onUpdated.run();
        }
        return Math.max(sleep, 1);
    }

    private void report(UpdateResult result) {
        String previous = result.current() ? lastFailure.remove(result.list()) : lastFailure.put(result.list(), result.line());
        switch (result) {
            case UpdateResult.Updated u -> log.log(Level.INFO, "list refresh: " + u.line());
            case UpdateResult.Unchanged u -> log.log(previous != null ? Level.INFO : Level.DEBUG, "list refresh: " + u.line());
            case UpdateResult.Rejected r when !r.line().equals(previous) ->
                    log.log(Level.WARNING, "list refresh: " + r.line() + " (the list in service stays)");
            case UpdateResult.Failed f when !f.line().equals(previous) ->
                    log.log(Level.WARNING, "list refresh: " + f.line() + " (the list in service stays)");
            default -> { } // the same failure again: logged already
        }
    }

    /** Stops refreshing; a download in progress is interrupted, and waited for (at most two seconds). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
