package io.splitroute.lists.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One network in CIDR form, IPv4 or IPv6: its first address and prefix length. An IPv4 network keeps its
 * address in {@code lo} (low 32 bits), with {@code hi} 0.
 *
 * @param ipv6   whether it is an IPv6 network
 * @param hi     the first 64 bits of an IPv6 network address (0 for IPv4)
 * @param lo     the last 64 bits of an IPv6 network address, or the IPv4 address as an unsigned int
 * @param length the prefix length, 0-32 (IPv4) or 0-128 (IPv6)
 */
public record IpPrefix(boolean ipv6, long hi, long lo, int length) {
    /** Checks the length and that no bit after the prefix is set. */
    public IpPrefix {
        int max = ipv6 ? 128 : 32;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is not 0-" + max);
        }
        if (!ipv6 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address " + Long.toHexString(lo) + " has more than 32 bits");
        }
        if (ipv6 ? (hi & ~mask64(length)) != 0 || (lo & ~mask64(length - 64)) != 0
                 : (lo & ~(mask64(length) >>> 32)) != 0) {
            throw new IllegalArgumentException("host bits set after /" + length);
        }
    }

    /**
     * Returns an IPv4 network.
     *
     * @param address the network address as a (signed) int, e.g. {@code 0x01020300} for 1.2.3.0
     * @param length  0-32
     * @return the prefix
     * @throws IllegalArgumentException if bits after the prefix are set
     */
    public static IpPrefix ipv4(int address, int length) {
        return new IpPrefix(false, 0, Integer.toUnsignedLong(address), length);
    }

    /**
     * Returns an IPv6 network.
     *
     * @param hi     the first 64 bits
     * @param lo     the last 64 bits
     * @param length 0-128
     * @return the prefix
     * @throws IllegalArgumentException if bits after the prefix are set
     */
    public static IpPrefix ipv6(long hi, long lo, int length) {
        return new IpPrefix(true, hi, lo, length);
    }

    /** A mask of the first {@code bits} bits of a long (all ones at 64 and more, zero at 0 and less). */
    static long mask64(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** Returns the IPv4 network address as an int (meaningful only for IPv4). */
    public int ipv4Address() {
        return (int) lo;
    }

    /** Returns the last IPv4 address of the network, as an int (meaningful only for IPv4). */
    public int ipv4Last() {
        return (int) (lo | (~(mask64(length) >>> 32) & 0xFFFF_FFFFL));
    }

    /** Returns the first 64 bits of the last IPv6 address of the network. */
    public long ipv6LastHi() {
        return hi | ~mask64(length);
    }

    /** Returns the last 64 bits of the last IPv6 address of the network. */
    public long ipv6LastLo() {
        return lo | ~mask64(length - 64);
    }

    /** Returns the network address. */
    public InetAddress address() {
        try {
            if (!ipv6) {
                int a = (int) lo;
                return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
            return Inet6Address.getByAddress(null, b, -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
    }

    /** Returns the canonical form, e.g. {@code 1.2.3.0/24} or {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        InetAddress a = address();
        String text = a instanceof Inet4Address ? a.getHostAddress() : compress((Inet6Address) a);
        return text + "/" + length;
    }

    /** RFC 5952 form: the longest run of two or more zero groups becomes {@code ::}, lower case. */
    private static String compress(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
