package io.splitroute.sink;

import io.splitroute.sink.PendingAdds.PendingAdd;
import io.splitroute.sink.ipset.IpsetWriter;
import io.splitroute.sink.nft.NftSetWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The writer for callers on event-loop threads: no reply waits for another thread to wake up.
 *
 * <p>Each loop thread gets its own netlink sockets (a "lane"). The adds a loop makes while it handles one
 * turn of I/O are collected; the first of them schedules one task on that same loop, which the loop runs
 * when the turn's reads are done: it writes every collected element in one netlink message per set (one
 * send, one ack) and completes the callers' futures there, on the loop, so the replies go straight out.
 * The kernel applies an element inside {@code sendto} and acks at once, so the ack is read without
 * waiting and the write costs the loop microseconds, the price dnsmasq pays in its one thread. However
 * the write fails, it takes a bounded number of round trips, and an ack that does not come is waited for
 * at most the write deadline: then the elements are reported {@link SetError.Kind#UNACKNOWLEDGED}.
 *
 * <p>Adds from threads that are not loops (tests, the admin thread) and probes and creates go to a
 * fallback writer (normally a {@link KernelSetWriter}, which has its own thread).
 */
public final class InlineSetWriter implements SetWriter {
    /** Opens a lane's writer for one kernel dialect. */
    public interface Opener {
        /** Returns a new writer for the dialect of {@code target}; it is used by one thread only. */
        BulkSetWriter open(SetTarget target) throws SetException;
    }

    private final Supplier<Executor> currentLoop;
    private final Opener opener;
    private final SetWriter fallback;
    private final ThreadLocal<Lane> lanes = new ThreadLocal<>();
    private final List<Lane> allLanes = new CopyOnWriteArrayList<>();
    private volatile Duration writeDeadline = DEFAULT_WRITE_DEADLINE;
    private volatile boolean closed;

    /**
     * @param currentLoop returns the executor of the event loop the calling thread runs, or {@code null}
     *                    when the caller is not a loop thread (Netty: {@code ThreadExecutorMap::currentExecutor})
     * @param opener      opens a lane's writer per dialect
     * @param fallback    for adds off the loops, probes and creates (owned: closed with this writer)
     */
    public InlineSetWriter(Supplier<Executor> currentLoop, Opener opener, SetWriter fallback) {
        this.currentLoop = Objects.requireNonNull(currentLoop, "currentLoop");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * Returns a writer for the sets of {@code netns} ({@code /run/netns/NAME}), or of this process's network
     * namespace when {@code null}: ipset and nftables lanes per loop, a {@link KernelSetWriter} off them;
     * with the {@linkplain SetWriter#DEFAULT_WRITE_DEADLINE default write deadline}.
     */
    public static InlineSetWriter open(Path netns, Supplier<Executor> currentLoop) {
        return open(netns, currentLoop, DEFAULT_WRITE_DEADLINE);
    }

    /**
     * As {@link #open(Path, Supplier)}, with {@code writeDeadline} (the resolver's {@code set-write-deadline}):
     * no loop waits longer than that for the kernel's acknowledgement of one turn's writes.
     */
    public static InlineSetWriter open(Path netns, Supplier<Executor> currentLoop, Duration writeDeadline) {
        InlineSetWriter writer = new InlineSetWriter(currentLoop, target -> switch (target) {
            case IpsetTarget t -> IpsetWriter.open(netns, writeDeadline); // its handshake, on the loop, too
            case NftSetTarget t -> NftSetWriter.open(netns);
        }, KernelSetWriter.open(netns, writeDeadline));
        writer.writeDeadline = writeDeadline;
        return writer;
    }

    @Override
    public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        Objects.requireNonNull(target, "target");
        Lane lane = lane(elements);
        if (lane == null) {
            return fallback.add(target, elements);
        }
        CompletableFuture<WriteResult> future = new CompletableFuture<>();
        lane.add(new PendingAdd(target, elements, future::complete));
        return future;
    }

    /** As {@link #add(SetTarget, List)}; on a loop the callback runs on it, at the end of its turn. */
    @Override
    public void add(SetTarget target, List<SetElement> elements, WriteCallback callback) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(callback, "callback");
        Lane lane = lane(elements);
        if (lane == null) {
            fallback.add(target, elements, callback);
        } else {
            lane.add(new PendingAdd(target, elements, callback));
        }
    }

    /** The calling loop's lane, or {@code null} when the add goes to the fallback. */
    private Lane lane(List<SetElement> elements) {
        Executor loop = closed || elements.isEmpty() ? null : currentLoop.get();
        if (loop == null) {
            return null;
        }
        Lane lane = lanes.get();
        if (lane == null) {
            lane = new Lane(loop);
            lanes.set(lane);
            allLanes.add(lane);
        }
        return lane;
    }

    /** True on an event-loop thread (until closed): its adds are written by the loop at the end of its turn. */
    @Override
    public boolean writesOnCallingThread() {
        return !closed && currentLoop.get() != null;
    }

    @Override
    public void probe(SetTarget target) throws SetException {
        fallback.probe(target);
    }

    @Override
    public void create(SetSpec spec) throws SetException {
        fallback.create(spec);
    }

    /** Inspects through the fallback writer (its own thread and socket), never on a loop's lane. */
    @Override
    public SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        return fallback.inspect(target, addresses);
    }

    /** Applies {@code deadline} to every lane's writes from their next turn on, and to the fallback's. */
    @Override
    public void writeDeadline(Duration deadline) {
        writeDeadline = Objects.requireNonNull(deadline, "deadline");
        for (Lane lane : allLanes) {
            for (BulkSetWriter writer : lane.writersSnapshot()) {
                writer.writeDeadline(deadline);
            }
        }
        fallback.writeDeadline(deadline);
    }

    /**
     * Returns the writes, elements and failures of every lane and the fallback added up, with the element
     * count and capacity of the latest probe (probes go to the fallback).
     */
    @Override
    public Map<SetTarget, TargetStats> stats() {
        Map<SetTarget, TargetStats> sum = new HashMap<>(fallback.stats());
        for (Lane lane : allLanes) {
            for (BulkSetWriter writer : lane.writersSnapshot()) {
                writer.stats().forEach((target, s) -> sum.merge(target, s, TargetStats::plus));
            }
        }
        return Map.copyOf(sum);
    }

    /** Closes every lane's sockets and the fallback; later adds fail. */
    @Override
    public void close() {
        closed = true;
        for (Lane lane : allLanes) {
            lane.close();
        }
        fallback.close();
    }

    /** One loop thread's sockets and the adds of its current turn. */
    private final class Lane {
        private final Executor loop;
        /** The adds of the current turn, and the list of the previous one, reused (both touched by the loop only). */
        private List<PendingAdd> pending = new ArrayList<>();
        private List<PendingAdd> spare = new ArrayList<>();
        private boolean scheduled;
        /** The end-of-turn task, made once (a method reference per turn would be garbage per answer). */
        private final Runnable flushTask = this::flush;
        /** Per dialect (IpsetTarget.class, NftSetTarget.class): a writer, or the reason it cannot open. */
        private final Map<Class<?>, Object> writers = new HashMap<>(4);

        Lane(Executor loop) {
            this.loop = loop;
        }

        /** Queues {@code add} for the end of this turn (runs on the lane's loop). */
        void add(PendingAdd add) {
            pending.add(add);
            if (!scheduled) {
                scheduled = true;
                try {
                    loop.execute(flushTask);
                } catch (RuntimeException e) { // the loop is shutting down: write here and now
                    flush();
                }
            }
        }

        /** Runs on the lane's loop: writes what this turn collected and completes the futures. */
        synchronized void flush() {
            List<PendingAdd> adds = pending;
            // The spare list is taken (null until handed back), so a flush nested in this one (a callback's
            // add while the loop refuses tasks) gets a list of its own, never the one being completed here.
            pending = spare != null ? spare : new ArrayList<>();
            spare = null;
            scheduled = false;
            try {
                if (closed) {
                    PendingAdds.complete(adds, PendingAdds.failAll(targets(adds), SetError.Kind.IO, "the set writer is closed"));
                    return;
                }
                int ipsetAdds = 0;
                for (int i = 0; i < adds.size(); i++) {
                    ipsetAdds += adds.get(i).target() instanceof IpsetTarget ? 1 : 0;
                }
                if (ipsetAdds == adds.size() || ipsetAdds == 0) { // one dialect: no split
                    write(adds);
                    return;
                }
                List<PendingAdd> ipset = new ArrayList<>(ipsetAdds);
                List<PendingAdd> nft = new ArrayList<>(adds.size() - ipsetAdds);
                for (PendingAdd add : adds) {
                    (add.target() instanceof IpsetTarget ? ipset : nft).add(add);
                }
                write(ipset);
                write(nft);
            } finally {
                // Adds made while the futures completed went to the other list; this one is free again.
                adds.clear();
                spare = adds;
            }
        }

        private void write(List<PendingAdd> adds) {
            if (adds.isEmpty()) {
                return;
            }
            SetTarget first = adds.getFirst().target();
            Object writer = writers.get(first.getClass());
            if (writer == null) { // the lane's first add of this dialect
                try {
                    BulkSetWriter opened = opener.open(first);
                    opened.writeDeadline(writeDeadline);
                    writer = opened;
                } catch (SetException e) {
                    writer = e;
                } catch (RuntimeException e) { // every caller must still be told, and retried next turn
                    PendingAdds.complete(adds, PendingAdds.failAll(targets(adds), SetError.Kind.IO,
                            "cannot open a netlink socket: " + e));
                    return;
                }
                writers.put(first.getClass(), writer);
            }
            if (writer instanceof BulkSetWriter bulk) {
                PendingAdds.write(bulk, adds);
            } else {
                SetException e = (SetException) writer;
                PendingAdds.complete(adds, PendingAdds.failAll(targets(adds), e.kind(), e.getMessage()));
            }
        }

        synchronized List<BulkSetWriter> writersSnapshot() {
            List<BulkSetWriter> out = new ArrayList<>(2);
            for (Object writer : writers.values()) {
                if (writer instanceof BulkSetWriter bulk) {
                    out.add(bulk);
                }
            }
            return out;
        }

        synchronized void close() {
            for (Object writer : writers.values()) {
                if (writer instanceof BulkSetWriter bulk) {
                    bulk.close();
                }
            }
            writers.clear();
        }

        private static List<SetTarget> targets(List<PendingAdd> adds) {
            List<SetTarget> out = new ArrayList<>();
            for (PendingAdd add : adds) {
                if (!out.contains(add.target())) {
                    out.add(add.target());
                }
            }
            return out;
        }
    }
}
