package io.splitroute.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the CLIs say is in a set: member address to remaining timeout in seconds (-1: none). */
public final class KernelSets {
    private static final Pattern IPSET_MEMBER = Pattern.compile("^(\\S+?)(?:/\\d+)?(?: timeout (\\d+))?$");
    private static final Pattern NFT_ELEMENT =
            Pattern.compile("([0-9a-fA-F:.]+)(?:/\\d+)?(?: timeout [0-9dhms]+)?(?: expires ([0-9dhms]+))?");

    private KernelSets() {}

    /** Parses the members of {@code ipset list NAME} output. */
    public static Map<InetAddress, Long> ipsetMembers(String listing) {
        Map<InetAddress, Long> members = new LinkedHashMap<>();
        boolean inMembers = false;
        for (String line : listing.split("\n")) {
            if (line.startsWith("Members:")) {
                inMembers = true;
            } else if (inMembers && !line.isBlank()) {
                Matcher m = IPSET_MEMBER.matcher(line.trim());
                if (m.matches()) {
                    members.put(address(m.group(1)), m.group(2) == null ? -1L : Long.parseLong(m.group(2)));
                }
            }
        }
        return members;
    }

    /** Parses the elements of {@code nft list set ...} output. */
    public static Map<InetAddress, Long> nftElements(String listing) {
        Map<InetAddress, Long> elements = new LinkedHashMap<>();
        int start = listing.indexOf("elements = {");
        if (start < 0) {
            return elements;
        }
        String body = listing.substring(start + "elements = {".length(), listing.indexOf('}', start));
        for (String item : body.split(",")) {
            Matcher m = NFT_ELEMENT.matcher(item.trim());
            if (m.matches()) {
                elements.put(address(m.group(1)), m.group(2) == null ? -1L : nftSeconds(m.group(2)));
            }
        }
        return elements;
    }

    /** Converts nft's {@code 1h2m3s400ms} to whole seconds. */
    static long nftSeconds(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|d|h|m|s)").matcher(text);
        long millis = 0;
        while (m.find()) {
            long v = Long.parseLong(m.group(1));
            millis += switch (m.group(2)) {
                case "d" -> v * 86_400_000L;
                case "h" -> v * 3_600_000L;
                case "m" -> v * 60_000L;
                case "s" -> v * 1000L;
                default -> v;
            };
        }
        return millis / 1000;
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + text, e);
        }
    }
}
