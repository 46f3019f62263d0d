package io.splitroute.lab;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a namespace's own IPv4 packets leave, and with which firewall mark: a table of its own ({@code inet
 * sr_observe}) records each packet's destination, mark and output interface after every other hook
 * (postrouting, priority 300), and {@link #send} sends one UDP datagram from the namespace.
 */
final class PacketPath {

    private static final Pattern ELEMENT = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+) \\. 0x([0-9a-f]+) \\. \"([^\"]+)\"");

    private final Netns ns;

    private PacketPath(Netns ns) {
        this.ns = ns;
    }

    /** Starts recording the packets that leave {@code ns}. */
    static PacketPath watch(Netns ns) {
        ns.execWithInput("""
                add table inet sr_observe
                add set inet sr_observe seen { type ipv4_addr . mark . ifname; flags dynamic; }
                add chain inet sr_observe post { type filter hook postrouting priority 300; policy accept; }
                add rule inet sr_observe post add @seen { ip daddr . meta mark . oifname }
                """, "nft", "-f", "-");
        return new PacketPath(ns);
    }

    /** Sends one UDP datagram to {@code address} port 9 (discard) from the namespace; an error is ignored. */
    void send(String address) {
        ns.execAllowingFailure("bash", "-c", "echo probe >/dev/udp/" + address + "/9");
    }

    /** How a packet left: its firewall mark and output interface. */
    record Leaving(long mark, String device) {
        @Override
        public String toString() {
            return "mark 0x" + Long.toHexString(mark) + " out of " + device;
        }
    }

    /** Returns how the packets to each destination left so far (none: nothing left, e.g. unreachable). */
    Map<String, Leaving> seen() {
        Map<String, Leaving> seen = new HashMap<>();
        Matcher m = ELEMENT.matcher(ns.exec("nft", "list", "set", "inet", "sr_observe", "seen"));
        while (m.find()) {
            seen.put(m.group(1), new Leaving(Long.parseLong(m.group(2), 16), m.group(3)));
        }
        return seen;
    }
}
