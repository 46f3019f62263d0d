package io.splitroute.admin;

import io.splitroute.config.QueryLogConfig;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.SetWrite;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query log: one JSON line per finished query (time, client, transport, name, type, route, upstream,
 * source, rcode, latency, and when the set stage wrote the reply's addresses, the sets and those addresses,
 * as its {@link SetWrite} record says), to a file capped in size and rotated ({@link QueryLogFile}), or to
 * stderr. Switched on and off at run time; when off it costs one volatile read per query.
 *
 * <p>Lines are formatted on the calling thread and written by one daemon thread through a bounded queue,
 * so a slow disk never holds up a reply: when the queue is full, lines are dropped and counted.
 */
public final class QueryLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryLog.class);
    private static final int QUEUE_LINES = 8192;

    private final QueryLogConfig config;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final LongAdder dropped = new LongAdder();
    private volatile boolean enabled;
    private volatile boolean closed;
    private volatile boolean reopenRequested;
    private Thread writerThread;

    /** @param config where lines go (appended; stderr when no file), the size cap and rotated files kept */
    public QueryLog(QueryLogConfig config) {
        this.config = config;
    }

    /** Returns where lines go: the file, or {@code "stderr"}. */
    public String destination() {
        Path file = config.file();
        return file == null ? "stderr" : file.toString();
    }

    /** Returns whether queries are being logged. */
    public boolean enabled() {
        return enabled;
    }

    /** Returns how many lines were dropped because the writer fell behind. */
    public long dropped() {
        return dropped.sum();
    }

    /** Switches the log on or off; the first switch on starts the writer thread. */
    public synchronized void setEnabled(boolean on) {
        if (on && !closed && writerThread == null) {
            writerThread = Thread.ofPlatform().name("splitroute-querylog").daemon().start(this::drain);
        }
        if (on != enabled) {
            log.info("query log {} ({})", on ? "on" : "off", destination());
        }
        enabled = on && !closed;
    }

    /**
     * Closes the file and opens it again by name, before the next line is written (SIGUSR2: logrotate moved
     * the file away and a new one should start). Returns at once.
     */
    public void reopen() {
        reopenRequested = true;
    }

    /** Logs one finished query, when on. Never blocks. */
    public void record(Query query, Resolution resolution, long nanos) {
        if (!enabled) {
            return;
        }
        if (!queue.offer(QueryLogLine.line(query, resolution, nanos, Instant.now()))) {
            dropped.increment();
        }
    }

    private void drain() {
        try (QueryLogFile out = open()) {
            while (!closed || !queue.isEmpty()) {
                if (reopenRequested) {
                    reopenRequested = false;
                    out.reopen();
                    log.info("query log reopened ({})", destination());
                }
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                out.write(line);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            log.error("query log: cannot write to {}: {}; switched off", destination(), e.getMessage());
            synchronized (this) {
                enabled = false;
                writerThread = null;
            }
            queue.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private QueryLogFile open() throws IOException {
        return config.file() == null ? QueryLogFile.stderr()
                : QueryLogFile.open(config.file(), config.maxSize(), config.keep());
    }

    /** Stops logging, writes out what is queued (bounded by the writer's poll), and closes the file. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            enabled = false;
            thread = writerThread;
        }
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
