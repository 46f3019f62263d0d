package io.splitroute.sets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A set of networks compiled into sorted, merged ranges held in primitive arrays: {@link #contains} is a
 * binary search that allocates nothing for an IPv4 address (an IPv6 one costs the 16-byte copy that is the
 * JDK's only way to read it). Immutable and thread-safe.
 */
public final class Networks {
    /** The empty set. */
    public static final Networks NONE = of(List.of());

    /**
     * {@code Inet4Address.hashCode()} has been the address itself since JDK 1.0, but it is not specified:
     * checked once here, so that a JDK where it differs falls back to {@code getAddress()}.
     */
    private static final boolean HASH_IS_ADDRESS = hashIsAddress();

    /** IPv4 ranges: unsigned starts and ends, sorted, not overlapping. */
    private final long[] v4Start;
    private final long[] v4End;
    /** IPv6 ranges as (high, low) 64-bit halves, sorted, not overlapping. */
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private Networks(List<long[]> v4, List<long[]> v6) {
        v4Start = new long[v4.size()];
        v4End = new long[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Start[i] = v4.get(i)[0];
            v4End[i] = v4.get(i)[1];
        }
        v6StartHi = new long[v6.size()];
        v6StartLo = new long[v6.size()];
        v6EndHi = new long[v6.size()];
        v6EndLo = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            long[] r = v6.get(i);
            v6StartHi[i] = r[0];
            v6StartLo[i] = r[1];
            v6EndHi[i] = r[2];
            v6EndLo[i] = r[3];
        }
    }

    /** Compiles {@code networks} (overlaps merged). */
    public static Networks of(Collection<Cidr> networks) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (Cidr network : networks) {
            byte[] b = network.address().getAddress();
            if (b.length == 4) {
                long mask = network.prefix() == 0 ? 0 : (0xffffffffL << (32 - network.prefix())) & 0xffffffffL;
                long base = toInt(b) & 0xffffffffL & mask;
                v4.add(new long[] {base, base | (~mask & 0xffffffffL)});
            } else {
                v6.add(range6(half(b, 0), half(b, 8), network.prefix()));
            }
        }
        return new Networks(merge(v4, 1), merge(v6, 2));
    }

    /** Returns how many ranges remain after merging (for the start-up log). */
    public int ranges() {
        return v4Start.length + v6StartHi.length;
    }

    /** Returns whether {@code address} lies in one of the networks. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return containsIpv4(HASH_IS_ADDRESS ? v4.hashCode() : toInt(v4.getAddress()));
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            return containsIpv6(half(b, 0), half(b, 8));
        }
        return false;
    }

    /** Returns whether the IPv4 address {@code address} (big-endian, as an int) lies in one of the networks. */
    public boolean containsIpv4(int address) {
        long x = address & 0xffffffffL;
        int lo = 0;
        int hi = v4Start.length - 1;
        while (lo <= hi) { // the last range starting at or below x
            int mid = (lo + hi) >>> 1;
            if (v4Start[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && x <= v4End[hi];
    }

    /** Returns whether the IPv6 address with halves {@code high} and {@code low} lies in one of the networks. */
    public boolean containsIpv6(long high, long low) {
        int lo = 0;
        int hi = v6StartHi.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], high, low) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && compare(high, low, v6EndHi[hi], v6EndLo[hi]) <= 0;
    }

    private static long[] range6(long hi, long lo, int prefix) {
        long hiMask = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {hi & hiMask, lo & loMask, hi | ~hiMask, lo | ~loMask};
    }

    /** Sorts ranges of {@code words}-long starts and ends by start and merges those that overlap. */
    private static List<long[]> merge(List<long[]> ranges, int words) {
        Comparator<long[]> byStart = (a, b) -> words == 1 ? Long.compare(a[0], b[0]) : compare(a[0], a[1], b[0], b[1]);
        ranges.sort(byStart);
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && startsWithin(r, last, words)) {
                if (endsAfter(r, last, words)) {
                    System.arraycopy(r, words, last, words, words);
                }
            } else {
                merged.add(r.clone());
            }
        }
        return merged;
    }

    private static boolean startsWithin(long[] r, long[] last, int words) {
        return words == 1 ? r[0] <= last[1] : compare(r[0], r[1], last[2], last[3]) <= 0;
    }

    private static boolean endsAfter(long[] r, long[] last, int words) {
        return words == 1 ? r[1] > last[1] : compare(r[2], r[3], last[2], last[3]) > 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static long half(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private static boolean hashIsAddress() {
        try {
            for (int probe : new int[] {0xc0000281, 0x7f000001, 0xffffffff, 0}) {
                byte[] b = {(byte) (probe >>> 24), (byte) (probe >>> 16), (byte) (probe >>> 8), (byte) probe};
                if (InetAddress.getByAddress(b).hashCode() != probe) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
