package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Every call through libc's {@code syscall(number, ...)}: one FFM downcall of one shape (a number and six
 * longs) instead of a linkage per function, each of which the JVM spins method-handle classes for at run
 * time (the ahead-of-time cache cannot hold them). Pointers go as their addresses, so the caller keeps each
 * segment alive for the call; {@code send}, {@code recv}, {@code poll} and {@code open} are made of
 * {@code sendto}, {@code recvfrom}, {@code ppoll} and {@code openat}, which every Linux architecture has.
 */
final class SyscallCalls implements NativeCalls {
    private static final long AT_FDCWD = -100;
    private static final long SIGSET_BYTES = 8;
    /** The size of a {@code struct pollfd}: {@link #poll} writes its {@code struct timespec} after the caller's. */
    private static final long POLLFD_BYTES = 8;

    private static final MethodHandle SYSCALL = link();

    private final Numbers nr;

    SyscallCalls(Numbers numbers) {
        this.nr = numbers;
    }

    @SuppressWarnings("restricted") // native access is this class's purpose; enabled by --enable-native-access
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall"));
        return linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    private static long call(MemorySegment state, long number, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SYSCALL.invokeExact(state, number, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException("native syscall(" + number + ") failed", t);
        }
    }

    @Override
    public int socket(MemorySegment state, int domain, int type, int protocol) {
        return (int) call(state, nr.socket, domain, type, protocol, 0, 0, 0);
    }

    @Override
    public int bind(MemorySegment state, int fd, MemorySegment address, int length) {
        return (int) call(state, nr.bind, fd, address.address(), length, 0, 0, 0);
    }

    @Override
    public long send(MemorySegment state, int fd, MemorySegment buffer, long length, int flags) {
        return call(state, nr.sendto, fd, buffer.address(), length, flags, 0, 0);
    }

    @Override
    public long recv(MemorySegment state, int fd, MemorySegment buffer, long length, int flags) {
        return call(state, nr.recvfrom, fd, buffer.address(), length, flags, 0, 0);
    }

    @Override
    public int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value) {
        return (int) call(state, nr.setsockopt, fd, level, name, value.address(), value.byteSize(), 0);
    }

    @Override
    public int close(MemorySegment state, int fd) {
        return (int) call(state, nr.close, fd, 0, 0, 0, 0, 0);
    }

    @Override
    public int poll(MemorySegment state, MemorySegment fds, long count, int timeoutMillis) {
        long timespec = 0;
        if (timeoutMillis >= 0) {
            MemorySegment ts = fds.asSlice(count * POLLFD_BYTES, 16);
            ts.set(JAVA_LONG, 0, timeoutMillis / 1000);
            ts.set(JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000L);
            timespec = ts.address();
        }
        return (int) call(state, nr.ppoll, fds.address(), count, timespec, 0, SIGSET_BYTES, 0);
    }

    @Override
    public int setns(MemorySegment state, int fd, int type) {
        return (int) call(state, nr.setns, fd, type, 0, 0, 0, 0);
    }

    @Override
    public int open(MemorySegment state, MemorySegment path, int flags, int mode) {
        return (int) call(state, nr.openat, AT_FDCWD, path.address(), flags, mode, 0, 0);
    }

    /** The system call numbers of one architecture (from its {@code asm/unistd.h}). */
    record Numbers(long socket, long bind, long sendto, long recvfrom, long setsockopt, long close,
                   long ppoll, long setns, long openat) {
        static final Numbers X86_64 = new Numbers(41, 49, 44, 45, 54, 3, 271, 308, 257);
        /** The generic table (asm-generic/unistd.h) of the 64-bit architectures without a legacy one. */
        static final Numbers GENERIC_64 = new Numbers(198, 200, 206, 207, 208, 57, 73, 268, 56);

        /** Returns the numbers for {@code os.arch}, or {@code null} for an architecture not listed here. */
        static Numbers forArch(String osArch) {
            return switch (osArch == null ? "" : osArch) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64", "arm64", "riscv64" -> GENERIC_64;
                default -> null;
            };
        }
    }
}
