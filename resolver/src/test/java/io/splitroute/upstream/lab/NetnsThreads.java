package io.splitroute.upstream.lab;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that enter a network namespace before they run (setns(2) through FFM): Netty event loops made with
 * this factory open their sockets inside the namespace, so a test drives real code inside a namespace it
 * created without moving the test JVM.
 */
@SuppressWarnings("restricted") // setns is the point; tests run with --enable-native-access
final class NetnsThreads implements ThreadFactory {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String namespace;
    private final AtomicInteger count = new AtomicInteger();

    NetnsThreads(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(() -> {
            enter(namespace);
            task.run();
        }, "netns-" + namespace + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** Moves the calling thread into {@code /run/netns/NAME}. */
    static void enter(String namespace) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/run/netns/" + namespace), O_RDONLY, 0);
            if (fd < 0) {
                throw new IllegalStateException("cannot open /run/netns/" + namespace);
            }
            int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (rc < 0) {
                throw new IllegalStateException("setns(" + namespace + ") failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setns(" + namespace + ") failed", t);
        }
    }
}
