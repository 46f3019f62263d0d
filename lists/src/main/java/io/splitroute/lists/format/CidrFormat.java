package io.splitroute.lists.format;

import io.splitroute.lists.ip.IpPrefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Reads IP lists ({@code format: cidr}): one IPv4 or IPv6 network a line, as {@code 1.2.3.0/24},
 * {@code 2001:db8::/32}, or a bare address (a {@code /32} or {@code /128}); {@code #} starts a comment
 * anywhere, blank lines are ignored. A line that is not such a network, or whose address has bits set
 * after the prefix ({@code 1.2.3.4/24}), is reported ({@code source:line: reason}) and dropped; a network
 * listed twice is counted as a skipped duplicate. Addresses are parsed as literals, never looked up.
 */
public final class CidrFormat {
    /** Creates the (stateless) reader. */
    public CidrFormat() {
    }

    /**
     * Reads an IP list.
     *
     * @param listName the list name from the config
     * @param source   the path, URL or resource name, recorded in problems
     * @param text     the whole content
     * @return the networks, their table, and the problems
     */
    public ParsedIpList parse(String listName, String source, String text) {
        return parse(listName, source, new Lines(text));
    }

    /** Reads an IP list streamed line by line. */
    ParsedIpList parse(String listName, String source, Lines lines) {
        ParsedIpList.Collector c = new ParsedIpList.Collector(listName, source);
        for (String raw = lines.next(); raw != null; raw = lines.next()) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (!line.isEmpty()) {
                parseLine(c, lines.number(), line);
            }
        }
        return c.build();
    }

    private static void parseLine(ParsedIpList.Collector c, int lineNo, String line) {
        int slash = line.indexOf('/');
        String address = slash < 0 ? line : line.substring(0, slash);
        boolean ipv6 = address.indexOf(':') >= 0;
        int max = ipv6 ? 128 : 32;
        int length = slash < 0 ? max : parseLength(line.substring(slash + 1), max);
        if (length < 0) {
            c.problem(lineNo, "bad prefix length", "prefix length \"" + line.substring(slash + 1) + "\" is not a number from 0 to "
                    + max + " (in \"" + line + "\")");
            return;
        }
        IpPrefix prefix;
        try {
            prefix = ipv6 ? ipv6(address, length) : IpPrefix.ipv4(parseIpv4(address), length);
        } catch (BadAddress e) {
            c.problem(lineNo, "bad address", e.getMessage() + " (in \"" + line + "\")");
            return;
        } catch (IllegalArgumentException e) {
            c.problem(lineNo, "host bits set", "\"" + line + "\" has address bits set after the prefix length (the network is "
                    + masked(ipv6, address, length) + ")");
            return;
        }
        c.prefix(prefix);
    }

    private static int parseLength(String text, int max) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n <= max ? n : -1;
    }

    /** Parses dotted-quad decimal ({@code 1.2.3.4}): four parts of 1-3 digits, each at most 255. */
    private static int parseIpv4(String text) throws BadAddress {
        int value = 0;
        int parts = 0;
        int i = 0;
        while (i <= text.length()) {
            int start = i;
            int part = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                part = part * 10 + (text.charAt(i) - '0');
                i++;
            }
            boolean end = i == text.length();
            if (i == start || part > 255 || (!end && text.charAt(i) != '.') || parts == 4) {
                throw new BadAddress("\"" + text + "\" is not an IPv4 address (four numbers 0-255 with dots)");
            }
            value = (value << 8) | part;
            parts++;
            i++;
            if (end) {
                break;
            }
        }
        if (parts != 4) {
            throw new BadAddress("\"" + text + "\" is not an IPv4 address (four numbers 0-255 with dots)");
        }
        return value;
    }

    private static IpPrefix ipv6(String text, int length) throws BadAddress {
        if (text.indexOf('%') >= 0) {
            throw new BadAddress("\"" + text + "\" has a zone index, which a network cannot have");
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new BadAddress("\"" + text + "\" is not an IPv6 address");
        }
        if (parsed instanceof Inet4Address) {
            throw new BadAddress("\"" + text + "\" is an IPv4-mapped IPv6 address: write the IPv4 network instead");
        }
        byte[] b = parsed.getAddress();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[8 + i] & 0xff);
        }
        return IpPrefix.ipv6(hi, lo, length);
    }

    /** The network that was probably meant, for the message about host bits. */
    private static String masked(boolean ipv6, String address, int length) {
        try {
            if (!ipv6) {
                int mask = length == 0 ? 0 : -1 << (32 - length);
                return IpPrefix.ipv4(parseIpv4(address) & mask, length).toString();
            }
            IpPrefix any = ipv6(address, 128);
            long hiMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
            long loMask = length <= 64 ? 0 : length >= 128 ? -1L : -1L << (128 - length);
            return IpPrefix.ipv6(any.hi() & hiMask, any.lo() & loMask, length).toString();
        } catch (BadAddress e) {
            throw new AssertionError("parsed before", e);
        }
    }

    /** An address that does not parse; the message quotes it. */
    private static final class BadAddress extends Exception {
        BadAddress(String message) {
            super(message, null, false, false);
        }
    }
}
