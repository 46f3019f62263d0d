package io.splitroute.sink;

import io.splitroute.sink.ipset.IpsetWriter;
import io.splitroute.sink.nft.NftSetWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link SetWriter} for both kernel dialects: ipset targets go to a {@link BatchingSetWriter} over
 * {@link IpsetWriter}, nftables targets to one over {@link NftSetWriter}; each has its own socket and
 * thread. A dialect is opened on first use, so a kernel without ipset still writes nftables sets (and
 * the ipset targets get the reason as their error).
 */
public final class KernelSetWriter implements SetWriter {
    private final Path netns;
    private volatile Duration writeDeadline;
    private volatile Dialect ipset;
    private volatile Dialect nft;
    private volatile boolean closed;

    private KernelSetWriter(Path netns, Duration writeDeadline) {
        this.netns = netns;
        this.writeDeadline = writeDeadline;
    }

    /**
     * Returns a writer for the sets of {@code netns} ({@code /run/netns/NAME}), or of this process's network
     * namespace when {@code null}, with the {@linkplain SetWriter#DEFAULT_WRITE_DEADLINE default write
     * deadline}. Nothing is opened until the first call.
     */
    public static KernelSetWriter open(Path netns) {
        return open(netns, DEFAULT_WRITE_DEADLINE);
    }

    /** As {@link #open(Path)}, with a write deadline of {@code writeDeadline} (see {@link #writeDeadline}). */
    public static KernelSetWriter open(Path netns, Duration writeDeadline) {
        return new KernelSetWriter(netns, writeDeadline);
    }

    @Override
    public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        Dialect dialect = dialect(target);
        if (dialect.writer == null) {
            return CompletableFuture.completedFuture(unavailable(target, dialect.failure));
        }
        return dialect.writer.add(target, elements);
    }

    @Override
    public void add(SetTarget target, List<SetElement> elements, WriteCallback callback) {
        Dialect dialect = dialect(target);
        if (dialect.writer == null) {
            WriteResults.tell(callback, unavailable(target, dialect.failure));
        } else {
            dialect.writer.add(target, elements, callback);
        }
    }

    /** The result of an add whose dialect could not be opened: nothing written, the reason as a whole-target error. */
    private static WriteResult unavailable(SetTarget target, SetException why) {
        return new WriteResult(target, 0,
                List.of(new SetError(target, null, why.kind(), target.displayName() + ": " + why.getMessage())));
    }

    @Override
    public void probe(SetTarget target) throws SetException {
        writerFor(target).probe(target);
    }

    @Override
    public void create(SetSpec spec) throws SetException {
        writerFor(spec.target()).create(spec);
    }

    @Override
    public SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        return writerFor(target).inspect(target, addresses);
    }

    /** Applies {@code deadline} to both dialects' writes from now on. */
    @Override
    public synchronized void writeDeadline(Duration deadline) {
        writeDeadline = deadline;
        for (Dialect dialect : new Dialect[] {ipset, nft}) {
            if (dialect != null && dialect.writer != null) {
                dialect.writer.writeDeadline(deadline);
            }
        }
    }

    @Override
    public synchronized Map<SetTarget, TargetStats> stats() {
        Map<SetTarget, TargetStats> all = new HashMap<>();
        for (Dialect dialect : new Dialect[] {ipset, nft}) {
            if (dialect != null && dialect.writer != null) {
                all.putAll(dialect.writer.stats());
            }
        }
        return Map.copyOf(all);
    }

    private SetWriter writerFor(SetTarget target) throws SetException {
        Dialect dialect = dialect(target);
        if (dialect.writer == null) {
            throw new SetException(dialect.failure.kind(), dialect.failure.getMessage(), dialect.failure);
        }
        return dialect.writer;
    }

    private Dialect dialect(SetTarget target) {
        Dialect opened = target instanceof IpsetTarget ? ipset : nft;
        if (opened != null && !closed) {
            return opened;
        }
        return openDialect(target);
    }

    private synchronized Dialect openDialect(SetTarget target) {
        if (closed) {
            throw new IllegalStateException("KernelSetWriter is closed");
        }
        return switch (target) {
            case IpsetTarget t -> ipset != null ? ipset : (ipset = Dialect.open(() -> IpsetWriter.open(netns), "ipset-writer", writeDeadline));
            case NftSetTarget t -> nft != null ? nft : (nft = Dialect.open(() -> NftSetWriter.open(netns), "nft-writer", writeDeadline));
        };
    }

    /** Closes both dialects' threads and sockets. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Dialect dialect : new Dialect[] {ipset, nft}) {
            if (dialect != null && dialect.writer != null) {
                dialect.writer.close();
            }
        }
    }

    private interface Opener {
        BulkSetWriter open() throws SetException;
    }

    /** An opened dialect, or why it could not be opened. */
    private record Dialect(SetWriter writer, SetException failure) {
        static Dialect open(Opener opener, String threadName, Duration writeDeadline) {
            try {
                BulkSetWriter writer = opener.open();
                writer.writeDeadline(writeDeadline);
                return new Dialect(new BatchingSetWriter(writer, threadName), null);
            } catch (SetException e) {
                return new Dialect(null, e);
            }
        }
    }
}
