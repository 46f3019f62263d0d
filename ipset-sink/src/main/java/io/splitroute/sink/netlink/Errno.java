package io.splitroute.sink.netlink;

import java.util.Map;

/** Symbolic names and short descriptions of the Linux errno values netlink replies carry. */
public final class Errno {
    /** Operation not permitted: the caller lacks CAP_NET_ADMIN in the socket's network namespace. */
    public static final int EPERM = 1;
    /** No such file or directory: for netlink, a missing set, table or object. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Try again: no data within the receive timeout. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** The object already exists. */
    public static final int EEXIST = 17;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in system: nftables reports a full set with it. */
    public static final int ENFILE = 23;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Numerical result out of range. */
    public static final int ERANGE = 34;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Protocol not supported. */
    public static final int EPROTONOSUPPORT = 93;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = 97;
    /** No buffer space available: the socket's receive buffer overflowed and replies were lost. */
    public static final int ENOBUFS = 105;

    private static final Map<Integer, String[]> NAMES = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
            Map.entry(3, new String[] {"ESRCH", "No such process"}),
            Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
            Map.entry(5, new String[] {"EIO", "Input/output error"}),
            Map.entry(7, new String[] {"E2BIG", "Argument list too long"}),
            Map.entry(9, new String[] {"EBADF", "Bad file descriptor"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
            Map.entry(ENOMEM, new String[] {"ENOMEM", "Cannot allocate memory"}),
            Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
            Map.entry(EBUSY, new String[] {"EBUSY", "Device or resource busy"}),
            Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
            Map.entry(19, new String[] {"ENODEV", "No such device"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
            Map.entry(ENFILE, new String[] {"ENFILE", "Too many open files in system"}),
            Map.entry(24, new String[] {"EMFILE", "Too many open files"}),
            Map.entry(ENOSPC, new String[] {"ENOSPC", "No space left on device"}),
            Map.entry(ERANGE, new String[] {"ERANGE", "Numerical result out of range"}),
            Map.entry(EMSGSIZE, new String[] {"EMSGSIZE", "Message too long"}),
            Map.entry(EPROTONOSUPPORT, new String[] {"EPROTONOSUPPORT", "Protocol not supported"}),
            Map.entry(EOPNOTSUPP, new String[] {"EOPNOTSUPP", "Operation not supported"}),
            Map.entry(EAFNOSUPPORT, new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"}),
            Map.entry(ENOBUFS, new String[] {"ENOBUFS", "No buffer space available"}),
            Map.entry(110, new String[] {"ETIMEDOUT", "Connection timed out"}));

    private Errno() {}

    /** Returns the symbolic name of {@code errno} (a positive value), e.g. {@code "ENOENT"}, or {@code "E<n>"}. */
    public static String name(int errno) {
        String[] entry = NAMES.get(Math.abs(errno));
        return entry == null ? "E" + Math.abs(errno) : entry[0];
    }

    /** Returns {@code "ENOENT (No such file or directory)"} for {@code errno}. */
    public static String describe(int errno) {
        String[] entry = NAMES.get(Math.abs(errno));
        return entry == null ? "errno " + Math.abs(errno) : entry[0] + " (" + entry[1] + ")";
    }
}
