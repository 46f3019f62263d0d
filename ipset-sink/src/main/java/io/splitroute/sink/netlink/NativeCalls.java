package io.splitroute.sink.netlink;

import java.lang.foreign.MemorySegment;

/**
 * The system calls a netlink socket needs. Each returns what the kernel returned (-1 on failure) and leaves
 * errno in {@code state}, a segment of {@link Libc#CAPTURE_LAYOUT}; a failure of the FFM call itself (never
 * expected) is an {@link IllegalStateException}.
 *
 * <p>{@link #forThisMachine} picks {@link SyscallCalls} where its system call numbers are known (x86_64,
 * aarch64, riscv64): every call goes through one {@code syscall(2)} downcall, one FFM linkage, which a
 * starting server makes in a fraction of the time of one linkage per function. Elsewhere {@link LibcCalls}
 * binds the libc functions one by one.
 */
sealed interface NativeCalls permits SyscallCalls, LibcCalls {
    /** {@code socket(domain, type, protocol)}. */
    int socket(MemorySegment state, int domain, int type, int protocol);

    /** {@code bind(fd, address, length)}. */
    int bind(MemorySegment state, int fd, MemorySegment address, int length);

    /** {@code send(fd, buffer, length, flags)}. */
    long send(MemorySegment state, int fd, MemorySegment buffer, long length, int flags);

    /** {@code recv(fd, buffer, length, flags)}. */
    long recv(MemorySegment state, int fd, MemorySegment buffer, long length, int flags);

    /** {@code setsockopt(fd, level, name, value, value.byteSize())}. */
    int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value);

    /** {@code close(fd)}. */
    int close(MemorySegment state, int fd);

    /**
     * {@code poll(fds, count, timeoutMillis)}.
     *
     * @param fds {@code count} {@code struct pollfd} followed by 16 bytes of room (a {@code struct timespec})
     */
    int poll(MemorySegment state, MemorySegment fds, long count, int timeoutMillis);

    /** {@code setns(fd, type)}: moves the calling thread into the namespace {@code fd} refers to. */
    int setns(MemorySegment state, int fd, int type);

    /** {@code open(path, flags, mode)}, {@code path} a NUL-terminated string. */
    int open(MemorySegment state, MemorySegment path, int flags, int mode);

    /** Returns the calls for this machine: one {@code syscall(2)} linkage where its numbers are known. */
    static NativeCalls forThisMachine() {
        SyscallCalls.Numbers numbers = SyscallCalls.Numbers.forArch(System.getProperty("os.arch"));
        return numbers != null ? new SyscallCalls(numbers) : new LibcCalls();
    }
}
