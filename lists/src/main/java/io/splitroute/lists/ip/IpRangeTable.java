package io.splitroute.lists.ip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An immutable set of IPv4 and IPv6 networks as sorted, merged ranges, for "is this address in the list"
 * at tens of millions of lookups a second without an object per network.
 *
 * <p>IPv4 ranges are one sorted {@code long} array (first and last address of a range side by side, so a
 * range is one memory access; overlapping and adjacent networks merged), plus a bucket index on the addresses' top bits that narrows each search to the few
 * ranges of one bucket: a lookup reads two index entries and about one range, where a plain binary
 * search over 100 000 ranges would miss the cache a dozen times. IPv6 ranges are two {@code long} pairs
 * per range with the same kind of index, on the bits after the prefix all IPv6 ranges share (they
 * cluster: 2400::/12 and the like). {@link #contains(int)} and {@link #contains(long, long)} allocate
 * nothing. Thread-safe.
 */
public final class IpRangeTable {
    private static final IpRangeTable EMPTY = builder().build();
    /** Most index bits: 2^16 buckets cost 256 KB, which a 100 000-network list is worth; smaller lists get about two buckets per range. */
    private static final int MAX_INDEX_BITS = 16;

    /**
     * Per IPv4 range: its first address in the high 32 bits and its last in the low 32 bits, each with the
     * sign bit flipped so that signed comparisons of the halves order addresses as unsigned numbers.
     */
    private final long[] v4;
    /** {@code v4Index[b]}: how many ranges start before bucket {@code b}; length 2^bits + 1. */
    private final int[] v4Index;
    private final int v4Shift;
    /** Per IPv6 range {@code i}: first address at {@code [2i, 2i + 1]}, last at the same place in v6Last; sign-flipped. */
    private final long[] v6First;
    private final long[] v6Last;
    /** The first bits every IPv6 range shares (as in its first address's hi), and how many there are. */
    private final long v6Common;
    private final int v6CommonBits;
    /** {@code v6Index[b]}: how many ranges start before bucket {@code b}; buckets on the bits after the common ones. */
    private final int[] v6Index;
    private final int v6Bits;
    private final int prefixes;

    private IpRangeTable(int[] v4First, int[] v4Last, long[] v6First, long[] v6Last, int prefixes) {
        this.v4 = new long[v4First.length];
        for (int i = 0; i < v4.length; i++) {
            v4[i] = ((long) v4First[i] << 32) | (v4Last[i] & 0xFFFF_FFFFL);
        }
        this.v6First = v6First;
        this.v6Last = v6Last;
        this.prefixes = prefixes;
        int bits = Math.clamp(32 - Integer.numberOfLeadingZeros(Math.max(1, v4First.length)) + 1, 4, MAX_INDEX_BITS);
        this.v4Shift = 32 - bits;
        this.v4Index = new int[(1 << bits) + 1];
        int r = 0;
        for (int b = 0; b <= 1 << bits; b++) {
            long bucketStart = (long) b << v4Shift; // unsigned
            while (r < v4First.length && (Integer.toUnsignedLong(v4First[r] ^ Integer.MIN_VALUE)) < bucketStart) {
                r++;
            }
            v4Index[b] = r;
        }
        int n6 = v6First.length / 2;
        if (n6 == 0) {
            v6Common = 0;
            v6CommonBits = 0;
            v6Bits = 0;
            v6Index = new int[] {0, 0};
            return;
        }
        long lowest = v6First[0] ^ Long.MIN_VALUE;
        long highest = v6Last[2 * n6 - 2] ^ Long.MIN_VALUE;
        v6CommonBits = Long.numberOfLeadingZeros(lowest ^ highest);
        v6Common = v6CommonBits == 0 ? 0 : lowest & (-1L << (64 - v6CommonBits));
        v6Bits = Math.min(64 - v6CommonBits, Math.clamp(32 - Integer.numberOfLeadingZeros(n6) + 1, 4, MAX_INDEX_BITS));
        v6Index = new int[(1 << v6Bits) + 1];
        for (int i = 0; i < n6; i++) {
            v6Index[v6Bucket(v6First[2 * i] ^ Long.MIN_VALUE) + 1]++; // ranges starting in each bucket, then summed
        }
        for (int b = 1; b < v6Index.length; b++) {
            v6Index[b] += v6Index[b - 1];
        }
    }

    /** The bucket of an IPv6 address's first 64 bits, which must share the ranges' common bits. */
    private int v6Bucket(long hi) {
        return v6Bits == 0 ? 0 : (int) ((hi << v6CommonBits) >>> (64 - v6Bits));
    }

    /** Returns a table that contains nothing. */
    public static IpRangeTable empty() {
        return EMPTY;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether an IPv4 address is in the table.
     *
     * @param ipv4 the address as an int, e.g. {@code 0x01020304} for 1.2.3.4
     * @return true if a network of the table contains it
     */
    public boolean contains(int ipv4) {
        int key = ipv4 ^ Integer.MIN_VALUE;
        int b = ipv4 >>> v4Shift;
        // Candidates: the last range starting before this bucket (it may reach into it) and those starting in it.
        int lo = v4Index[b] - 1;
        int hi = v4Index[b + 1] - 1;
        // Find the last range in [lo, hi] whose first address is <= the address.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if ((int) (v4[mid] >> 32) <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo >= 0 && key <= (int) v4[lo];
    }

    /**
     * Tells whether an IPv6 address is in the table.
     *
     * @param hi the first 64 bits of the address
     * @param lo the last 64 bits
     * @return true if a network of the table contains it
     */
    public boolean contains(long hi, long lo) {
        if (v6CommonBits > 0 && ((hi ^ v6Common) >>> (64 - v6CommonBits)) != 0) {
            return false; // outside the block every range lies in (also when there are none)
        }
        int b = v6Bucket(hi);
        long h = hi ^ Long.MIN_VALUE;
        long l = lo ^ Long.MIN_VALUE;
        // As for IPv4: the last range starting at or before the address, among this bucket's candidates.
        int low = v6Index[b] - 1;
        int high = v6Index[b + 1] - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            long fh = v6First[2 * mid];
            if (fh < h || (fh == h && v6First[2 * mid + 1] <= l)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        if (low < 0) {
            return false;
        }
        long lh = v6Last[2 * low];
        return lh > h || (lh == h && v6Last[2 * low + 1] >= l);
    }

    /**
     * Tells whether an address is in the table; an IPv4 address is looked up among the IPv4 networks, an
     * IPv6 address (IPv4-mapped ones included) among the IPv6 networks.
     *
     * @param address the address
     * @return true if a network of the table contains it
     */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /**
     * Tells whether an address given as its bytes is in the table.
     *
     * @param address 4 bytes (IPv4) or 16 bytes (IPv6), network order
     * @return true if a network of the table contains it
     * @throws IllegalArgumentException for any other length
     */
    public boolean contains(byte[] address) {
        if (address.length == 4) {
            return contains(((address[0] & 0xff) << 24) | ((address[1] & 0xff) << 16) | ((address[2] & 0xff) << 8)
                    | (address[3] & 0xff));
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (address[i] & 0xff);
            lo = (lo << 8) | (address[8 + i] & 0xff);
        }
        return contains(hi, lo);
    }

    /** Returns how many networks were added (duplicates included). */
    public int prefixCount() {
        return prefixes;
    }

    /** Returns how many IPv4 ranges are left after merging overlapping and adjacent networks. */
    public int ipv4Ranges() {
        return v4.length;
    }

    /** Returns how many IPv6 ranges are left after merging. */
    public int ipv6Ranges() {
        return v6First.length / 2;
    }

    /** Returns the bytes the table's arrays take (array headers included; the object itself is 40 more). */
    public long bytes() {
        return arrayBytes(v4.length, 8) + arrayBytes(v4Index.length, 4)
                + arrayBytes(v6First.length, 8) + arrayBytes(v6Last.length, 8) + arrayBytes(v6Index.length, 4);
    }

    private static long arrayBytes(int length, int element) {
        return 16 + ((long) length * element + 7) / 8 * 8;
    }

    @Override
    public String toString() {
        return "IpRangeTable[" + prefixes + " networks, " + ipv4Ranges() + " IPv4 ranges, " + ipv6Ranges()
                + " IPv6 ranges, " + bytes() + " bytes]";
    }

    /** Collects networks; {@link #build()} sorts and merges them. Not thread-safe. */
    public static final class Builder {
        /** Per IPv4 network: first and last address as unsigned values. */
        private long[] v4 = new long[32];
        private int v4Size;
        /** Per IPv6 network: first hi, first lo, last hi, last lo. */
        private long[] v6 = new long[32];
        private int v6Size;
        private int prefixes;

        private Builder() {
        }

        /**
         * Adds a network.
         *
         * @param prefix the network
         * @return this builder
         */
        public Builder add(IpPrefix prefix) {
            if (prefix.ipv6()) {
                addIpv6Range(prefix.hi(), prefix.lo(), prefix.ipv6LastHi(), prefix.ipv6LastLo());
            } else {
                addIpv4Range(prefix.ipv4Address(), prefix.ipv4Last());
            }
            return this;
        }

        /**
         * Adds an IPv4 network.
         *
         * @param address the network address as an int
         * @param length  the prefix length, 0-32; bits after it must be zero
         * @return this builder
         */
        public Builder addIpv4(int address, int length) {
            return add(IpPrefix.ipv4(address, length));
        }

        private void addIpv4Range(int first, int last) {
            if (2 * v4Size + 2 > v4.length) {
                v4 = Arrays.copyOf(v4, v4.length * 2);
            }
            v4[2 * v4Size] = Integer.toUnsignedLong(first);
            v4[2 * v4Size + 1] = Integer.toUnsignedLong(last);
            v4Size++;
            prefixes++;
        }

        private void addIpv6Range(long firstHi, long firstLo, long lastHi, long lastLo) {
            if (4 * v6Size + 4 > v6.length) {
                v6 = Arrays.copyOf(v6, v6.length * 2);
            }
            v6[4 * v6Size] = firstHi;
            v6[4 * v6Size + 1] = firstLo;
            v6[4 * v6Size + 2] = lastHi;
            v6[4 * v6Size + 3] = lastLo;
            v6Size++;
            prefixes++;
        }

        /** Returns the table: ranges sorted, overlapping and adjacent ones merged. */
        public IpRangeTable build() {
            int[][] v4Ranges = mergeV4();
            long[][] v6Ranges = mergeV6();
            return new IpRangeTable(v4Ranges[0], v4Ranges[1], v6Ranges[0], v6Ranges[1], prefixes);
        }

        private int[][] mergeV4() {
            Integer[] order = new Integer[v4Size];
            for (int i = 0; i < v4Size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(v4[2 * a], v4[2 * b]));
            int[] first = new int[v4Size];
            int[] last = new int[v4Size];
            int n = 0;
            for (int i : order) {
                long f = v4[2 * i];
                long l = v4[2 * i + 1];
                if (n > 0 && f <= Integer.toUnsignedLong(last[n - 1] ^ Integer.MIN_VALUE) + 1) {
                    if (l > Integer.toUnsignedLong(last[n - 1] ^ Integer.MIN_VALUE)) {
                        last[n - 1] = (int) l ^ Integer.MIN_VALUE;
                    }
                } else {
                    first[n] = (int) f ^ Integer.MIN_VALUE;
                    last[n] = (int) l ^ Integer.MIN_VALUE;
                    n++;
                }
            }
            return new int[][] {Arrays.copyOf(first, n), Arrays.copyOf(last, n)};
        }

        private long[][] mergeV6() {
            Integer[] order = new Integer[v6Size];
            for (int i = 0; i < v6Size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> compare(v6[4 * a], v6[4 * a + 1], v6[4 * b], v6[4 * b + 1]));
            long[] first = new long[2 * v6Size];
            long[] last = new long[2 * v6Size];
            int n = 0;
            for (int i : order) {
                long fh = v6[4 * i];
                long fl = v6[4 * i + 1];
                long lh = v6[4 * i + 2];
                long ll = v6[4 * i + 3];
                if (n > 0 && adjacentOrOverlapping(last[2 * n - 2], last[2 * n - 1], fh, fl)) {
                    if (compare(lh, ll, last[2 * n - 2], last[2 * n - 1]) > 0) {
                        last[2 * n - 2] = lh;
                        last[2 * n - 1] = ll;
                    }
                } else {
                    first[2 * n] = fh;
                    first[2 * n + 1] = fl;
                    last[2 * n] = lh;
                    last[2 * n + 1] = ll;
                    n++;
                }
            }
            long[] f = Arrays.copyOf(first, 2 * n);
            long[] l = Arrays.copyOf(last, 2 * n);
            for (int i = 0; i < 2 * n; i++) {
                f[i] ^= Long.MIN_VALUE;
                l[i] ^= Long.MIN_VALUE;
            }
            return new long[][] {f, l};
        }

        /** Tells whether a range starting at (fh, fl) touches one ending at (lh, ll): fh:fl <= lh:ll + 1. */
        private static boolean adjacentOrOverlapping(long lh, long ll, long fh, long fl) {
            if (compare(fh, fl, lh, ll) <= 0) {
                return true;
            }
            long nextLo = ll + 1;
            long nextHi = nextLo == 0 ? lh + 1 : lh;
            if (nextLo == 0 && lh == -1L) {
                return false; // the last range ends at the last address: nothing comes after it
            }
            return fh == nextHi && fl == nextLo;
        }

        private static int compare(long ah, long al, long bh, long bl) {
            int c = Long.compareUnsigned(ah, bh);
            return c != 0 ? c : Long.compareUnsigned(al, bl);
        }
    }
}
