package io.splitroute.sets;

import io.netty.util.internal.ThreadExecutorMap;
import io.splitroute.sink.InlineSetWriter;
import io.splitroute.sink.NoopSetWriter;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.sink.SetWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the kernel set writer a config needs: none without sets, in memory for a dry run, netlink otherwise. */
public final class SetWriters {
    private static final Logger log = LoggerFactory.getLogger(SetWriters.class);

    private SetWriters() {}

    /**
     * Opens the writer for {@code sets}.
     *
     * @param sets   the configured sets (none: a writer that writes nothing)
     * @param dryRun record the writes in memory (and log them) instead of writing to the kernel
     * @param writeDeadline the longest a write on an event loop waits for the kernel's acknowledgement
     */
    public static SetWriter open(Map<String, SetConfig> sets, boolean dryRun, java.time.Duration writeDeadline) {
        if (sets.isEmpty()) {
            return new NoopSetWriter();
        }
        if (dryRun) {
            log.info("dry run: set writes are recorded in memory, not written to the kernel");
            return new RecordingSetWriter();
        }
        // Writes happen on the event loop that answers, batched per loop turn; other threads use a writer thread.
        return InlineSetWriter.open(null, ThreadExecutorMap::currentExecutor, writeDeadline);
    }

    /** Returns whether {@code writer} (or the writer it times) writes nothing: sets added later need a restart. */
    public static boolean writesNothing(SetWriter writer) {
        SetWriter inner = writer instanceof TimedSetWriter timed ? timed.delegate() : writer;
        return inner instanceof NoopSetWriter;
    }
}
