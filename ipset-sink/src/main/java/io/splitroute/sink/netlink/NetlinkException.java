package io.splitroute.sink.netlink;

/** A failed netlink system call or an unexpected reply; carries the errno when there is one. */
public final class NetlinkException extends Exception {
    private final int errno;

    /** Creates an exception for {@code operation} that failed with {@code errno} (0 when not a system error). */
    public NetlinkException(String operation, int errno) {
        super(errno == 0 ? operation : operation + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    /** Returns the positive errno, or 0 when the failure was not a system call error. */
    public int errno() {
        return errno;
    }
}
