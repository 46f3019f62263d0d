package io.splitroute.unlisted;

import io.splitroute.lists.ip.IpRangeTable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Named IP lists asked together: {@code domestic-ips}, {@code poison-ips}, a route's {@code exclude-ips}. As a
 * {@link Predicate} it holds the addresses of any of its lists, which is what the set stage keeps out of a
 * route's sets. Immutable; lookups allocate nothing for IPv4.
 */
public final class IpListSet implements Predicate<InetAddress> {
    private static final IpListSet NONE = new IpListSet(Map.of());

    private final String[] names;
    private final IpRangeTable[] tables;
    private final boolean ipv4;
    private final boolean ipv6;

    private IpListSet(Map<String, IpRangeTable> lists) {
        this.names = lists.keySet().toArray(String[]::new);
        this.tables = lists.values().toArray(IpRangeTable[]::new);
        boolean four = false;
        boolean six = false;
        for (IpRangeTable t : tables) {
            four |= t.ipv4Ranges() > 0;
            six |= t.ipv6Ranges() > 0;
        }
        this.ipv4 = four;
        this.ipv6 = six;
    }

    /**
     * Returns the lists called {@code names} among {@code loaded}, in that order; a name with no loaded list (it
     * failed to load) holds no address.
     */
    public static IpListSet of(List<String> names, Map<String, IpRangeTable> loaded) {
        Map<String, IpRangeTable> lists = new LinkedHashMap<>();
        for (String name : names) {
            lists.put(name, loaded.getOrDefault(name, IpRangeTable.empty()));
        }
        return new IpListSet(lists);
    }

    /** Returns a set of no lists: it holds no address and judges none. */
    public static IpListSet none() {
        return NONE;
    }

    /** Returns the name of the first list holding {@code address}, or {@code null}. */
    public String find(InetAddress address) {
        if (address instanceof Inet4Address) {
            int v4 = address.hashCode(); // an Inet4Address's hash is its address: no byte[] copy per lookup
            for (int i = 0; i < tables.length; i++) {
                if (tables[i].contains(v4)) {
                    return names[i];
                }
            }
            return null;
        }
        byte[] bytes = address.getAddress();
        for (int i = 0; i < tables.length; i++) {
            if (tables[i].contains(bytes)) {
                return names[i];
            }
        }
        return null;
    }

    /** Returns whether a list holds {@code address}. */
    @Override
    public boolean test(InetAddress address) {
        return find(address) != null;
    }

    /**
     * Returns whether these lists can judge {@code address} at all: they hold networks of its family. (The
     * chnroutes list has IPv4 networks only: an IPv6 address is then neither domestic nor foreign.)
     */
    public boolean covers(InetAddress address) {
        return address instanceof Inet4Address ? ipv4 : ipv6;
    }

    /** Returns whether there are no lists. */
    public boolean isEmpty() {
        return names.length == 0;
    }

    /** Returns the list names, comma-separated ({@code chnroute} or {@code chnroute, cn6}). */
    public String names() {
        return String.join(", ", names);
    }

    @Override
    public String toString() {
        return "IpListSet[" + names() + "]";
    }
}
