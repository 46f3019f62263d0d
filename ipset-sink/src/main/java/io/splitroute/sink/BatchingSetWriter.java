package io.splitroute.sink;

import io.splitroute.sink.PendingAdds.PendingAdd;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The writer the resolver uses: callers enqueue, and one platform thread that owns the netlink socket
 * drains everything queued, merges the elements per target (a later element for the same address wins),
 * writes them with one {@link BulkSetWriter#write} (one netlink message per set, one send), and completes
 * each caller's future with that caller's share of the result.
 *
 * <p>Under light load a single add goes out alone as soon as the thread wakes; under heavy load the queue
 * fills while the kernel works, so batches grow by themselves. Futures complete on the writer thread:
 * keep continuations short or use the {@code *Async} variants.
 */
public final class BatchingSetWriter implements SetWriter {
    private static final int MAX_DRAIN = 8192;
    private static final Object STOP = new Object();

    private final BulkSetWriter delegate;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    /** Set by the thread before its last look at the queue: an add queued after that is failed by its caller. */
    private volatile boolean finished;

    /**
     * Starts the writer thread, named {@code name}, over {@code delegate}, which it owns from now on
     * (and closes on {@link #close()}).
     */
    public BatchingSetWriter(BulkSetWriter delegate, String name) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    @Override
    public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        Objects.requireNonNull(target, "target");
        CompletableFuture<WriteResult> future = new CompletableFuture<>();
        if (elements.isEmpty()) {
            future.complete(new WriteResult(target, 0, List.of()));
        } else if (closed) {
            future.completeExceptionally(new IllegalStateException("set writer " + thread.getName() + " is closed"));
        } else {
            enqueue(new PendingAdd(target, List.copyOf(elements), future::complete));
        }
        return future;
    }

    /** As {@link #add(SetTarget, List)}, without the future; the callback runs on the writer thread. */
    @Override
    public void add(SetTarget target, List<SetElement> elements, WriteCallback callback) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(callback, "callback");
        if (elements.isEmpty()) {
            WriteResults.tell(callback, new WriteResult(target, 0, List.of()));
        } else if (closed) {
            WriteResults.tell(callback, WriteResults.failed(target, "set writer " + thread.getName() + " is closed"));
        } else {
            enqueue(new PendingAdd(target, List.copyOf(elements), callback));
        }
    }

    /** Queues {@code item}; if the thread has already stopped (a close raced the check), fails it here. */
    private void enqueue(Object item) {
        queue.add(item);
        if (finished) {
            failRemaining(new ArrayList<>());
        }
    }

    @Override
    public void probe(SetTarget target) throws SetException {
        call(() -> {
            delegate.probe(target);
            return null;
        });
    }

    @Override
    public void create(SetSpec spec) throws SetException {
        call(() -> {
            delegate.create(spec);
            return null;
        });
    }

    /** Inspects on the writer thread, between writes. */
    @Override
    public SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        return call(() -> delegate.inspect(target, addresses));
    }

    @Override
    public void writeDeadline(Duration deadline) {
        delegate.writeDeadline(deadline);
    }

    @Override
    public Map<SetTarget, TargetStats> stats() {
        return delegate.stats();
    }

    /** Runs {@code body} on the writer thread (which owns the socket) and waits for its result. */
    private <T> T call(Callable<T> body) throws SetException {
        if (closed) {
            throw new IllegalStateException("set writer " + thread.getName() + " is closed");
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        enqueue(new Task(body, done));
        try {
            @SuppressWarnings("unchecked") // the task completes done with body's result
            T result = (T) done.get();
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetException(SetError.Kind.IO, "interrupted while waiting for " + thread.getName(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SetException se) {
                throw new SetException(se.kind(), se.getMessage(), se);
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void run() {
        List<Object> drained = new ArrayList<>();
        List<PendingAdd> adds = new ArrayList<>();
        try {
            while (true) {
                drained.add(queue.take());
                queue.drainTo(drained, MAX_DRAIN);
                for (Object item : drained) {
                    if (item instanceof PendingAdd add) {
                        adds.add(add);
                        continue;
                    }
                    flush(adds);
                    if (item == STOP) {
                        return;
                    }
                    runTask((Task) item);
                }
                flush(adds);
                drained.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished = true;
            failRemaining(drained);
        }
    }

    private static void runTask(Task task) {
        try {
            task.done().complete(task.body().call());
        } catch (Exception | Error e) {
            task.done().completeExceptionally(e);
        }
    }

    /** Writes every pending add in one delegate call and completes their futures. */
    private void flush(List<PendingAdd> adds) {
        PendingAdds.write(delegate, adds);
        adds.clear();
    }

    private void failRemaining(List<Object> drained) {
        queue.drainTo(drained);
        String closedMessage = "set writer " + thread.getName() + " is closed";
        for (Object item : drained) {
            if (item instanceof PendingAdd add) {
                WriteResults.tell(add.callback(), WriteResults.failed(add.target(), closedMessage));
            } else if (item instanceof Task task) {
                task.done().completeExceptionally(new IllegalStateException(closedMessage));
            }
        }
    }

    /** Stops the thread after it wrote everything queued before, then closes the delegate. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delegate.close();
    }

    private record Task(Callable<?> body, CompletableFuture<Object> done) {}
}
