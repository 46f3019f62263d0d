package io.splitroute.sets;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One network: an address and a prefix length ({@code 203.0.113.200/32}, {@code fe80::/10}); a bare address
 * is a /32 or /128. Host bits below the prefix are ignored.
 *
 * @param address the address as written (its host bits are not cleared)
 * @param prefix  the prefix length, 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Cidr(InetAddress address, int prefix) {
    /** Checks the prefix against the family. */
    public Cidr {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " is not between 0 and " + max);
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX} or a bare address (IP literals only: names are never resolved here).
     *
     * @throws IllegalArgumentException with a message carrying the text when it is not a network
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String ip = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = literal(ip, text);
        int max = address instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a network such as 203.0.113.0/24", e);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix /" + prefix + " in '" + text + "' is not between 0 and " + max);
            }
        }
        return new Cidr(address, prefix);
    }

    /** Parses an IPv4 or IPv6 literal without any name lookup; an IPv4-mapped IPv6 literal stays IPv6. */
    static InetAddress literal(String ip, String text) {
        boolean v6 = ip.indexOf(':') >= 0;
        if (ip.isEmpty() || !(v6 || ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or network (names are not resolved here)");
        }
        try {
            InetAddress parsed = InetAddress.ofLiteral(ip);
            return v6 ? java.net.Inet6Address.getByAddress(null, sixteen(parsed.getAddress()), -1) : parsed;
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or network", e);
        }
    }

    /** The JDK reads {@code ::ffff:a.b.c.d} as IPv4: back to its 16 bytes, so the network stays IPv6. */
    private static byte[] sixteen(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }
}
