package io.splitroute.sink;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Runs code on a fresh platform thread whose effective capabilities lack CAP_NET_ADMIN. Linux keeps
 * capabilities per thread and the raw capset(2) call changes only the caller, so the rest of the test
 * JVM keeps root's powers; threads started from that thread inherit the reduced set.
 */
public final class WithoutNetAdmin {
    private static final int CAP_NET_ADMIN = 12;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CAPGET = handle("capget");
    private static final MethodHandle CAPSET = handle("capset");

    private WithoutNetAdmin() {}

    @SuppressWarnings("restricted") // test-only native calls; the test JVM runs with --enable-native-access
    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** Runs {@code body} without CAP_NET_ADMIN and returns its result (or rethrows its exception). */
    public static <T> T call(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            dropNetAdmin();
            return body.call();
        });
        Thread.ofPlatform().name("no-net-admin").start(task).join();
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    private static void dropNetAdmin() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8);
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            MemorySegment data = arena.allocate(24); // two {effective, permitted, inheritable} u32 triples
            if ((int) CAPGET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capget failed");
            }
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & ~(1 << CAP_NET_ADMIN));
            if ((int) CAPSET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capset failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("capget/capset call failed", t);
        }
    }
}
