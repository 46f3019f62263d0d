package io.splitroute.admin;

import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.SetWrite;
import io.splitroute.query.Verdict;
import java.net.InetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The query log: one JSON line per finished query (time, client, transport, name, type, route, upstream,
 * source, rcode, latency, and when the set stage wrote the reply's addresses, the sets and those addresses,
 * as its {@link SetWrite} record says),
 * to a file or stderr. Switched on and off at run time; when off it costs one volatile read per query.
 *
 * <p>Lines are formatted on the calling thread and written by one daemon thread through a bounded queue,
 * so a slow disk never holds up a reply: when the queue is full, lines are dropped and counted.
 */
public final class QueryLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryLog.class);
    private static final int QUEUE_LINES = 8192;

    private final Path file;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final LongAdder dropped = new LongAdder();
    private volatile boolean enabled;
    private volatile boolean closed;
    private Thread writerThread;

    /** @param file where lines go (appended), or {@code null} for stderr */
    public QueryLog(Path file) {
        this.file = file;
    }

    /** Returns where lines go: the file, or {@code "stderr"}. */
    public String destination() {
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

    /** Logs one finished query, when on. Never blocks. */
    public void record(Query query, Resolution resolution, long nanos) {
        if (!enabled) {
            return;
        }
        if (!queue.offer(line(query, resolution, nanos, Instant.now()))) {
            dropped.increment();
        }
    }

    /** Formats one query as a JSON line (without the newline). */
    static String line(Query query, Resolution resolution, long nanos, Instant time) {
        Route route = resolution.route() != null ? resolution.route() : query.route();
        StringBuilder json = new StringBuilder(256).append("{\"time\":\"").append(time).append('"');
        field(json, "client", query.client().getAddress().getHostAddress());
        field(json, "transport", query.transport().name().toLowerCase(Locale.ROOT));
        field(json, "name", query.name());
        field(json, "type", Type.string(query.qtype()));
        field(json, "route", route == null ? QueryMeters.NO_ROUTE : route.name());
        if (resolution.upstream() != null) {
            field(json, "upstream", resolution.upstream());
        }
        field(json, "source", resolution.source().name().toLowerCase(Locale.ROOT));
        field(json, "rcode", Rcode.string(resolution.rcode()));
        json.append(",\"latency_ms\":").append(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        SetWrite written = resolution.written();
        if (written != null) {
            json.append(",\"sets\":[");
            List<String> sets = written.sets();
            for (int i = 0; i < sets.size(); i++) {
                string(json.append(i == 0 ? "" : ","), sets.get(i));
            }
            json.append("],\"addresses\":[");
            List<InetAddress> addresses = written.addresses();
            for (int i = 0; i < addresses.size(); i++) {
                string(json.append(i == 0 ? "" : ","), addresses.get(i).getHostAddress());
            }
            json.append(']');
            if (written.outcome() != SetWrite.Outcome.WRITTEN) {
                field(json, "set_write", written.outcome().name().toLowerCase(Locale.ROOT));
            }
        }
        Verdict verdict = resolution.verdict();
        if (verdict != null) { // a name on no list: which side's answer, and why
            field(json, "verdict", verdict.kind().tag());
            field(json, "verdict_reason", verdict.reason().tag());
            if (verdict.list() != null) {
                field(json, "verdict_list", verdict.list());
            }
            if (verdict.remembered()) {
                json.append(",\"verdict_remembered\":true");
            }
        }
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String key, String value) {
        json.append(",\"").append(key).append("\":");
        string(json, value);
    }

    /** Appends {@code value} as a JSON string: query names may hold quotes, backslashes and control bytes. */
    private static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private void drain() {
        try (Writer out = open()) {
            while (!closed || !queue.isEmpty()) {
                String line = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                out.write(line);
                out.write('\n');
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

    private Writer open() throws IOException {
        OutputStream stream = file == null ? new NonClosing(System.err)
                : Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new java.io.BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
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

    /** stderr must stay open when the log closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
