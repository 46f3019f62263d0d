package io.splitroute.sets;

import io.splitroute.query.AnswerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the set stage lets through of an answer's addresses: none on a {@code never-route} network, and at
 * most {@code set-max-addresses} of the rest, in answer order. An answer with nothing to drop passes as it
 * is, without a copy: on a cache hit this is a binary search per address and nothing allocated.
 *
 * @param neverRoute   the networks never written (defaults, listen addresses, tunnel endpoint included)
 * @param maxAddresses the most addresses written for one answer
 */
public record AddressFilter(Networks neverRoute, int maxAddresses) {
    /** Checks the cap. */
    public AddressFilter {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("set-max-addresses must be at least 1, got " + maxAddresses);
        }
    }

    /**
     * The filter a config asks for.
     *
     * @param sets          the sets slice ({@code never-route}, {@code set-max-addresses})
     * @param ownAddresses  the router's listen addresses (a wildcard stands for every interface address)
     */
    public static AddressFilter of(SetsConfig sets, Collection<InetAddress> ownAddresses) {
        return new AddressFilter(NeverRoute.compile(sets.neverRoute(), ownAddresses, System.getenv("WG_ENDPOINT")),
                sets.maxAddresses());
    }

    /**
     * Returns the addresses of {@code found} that may be written.
     *
     * @param name  the question name, for the log line
     * @param drops where dropped addresses are counted, or {@code null} not to count (a cache hit: its
     *              upstream answer was counted when it arrived)
     */
    public List<AnswerAddress> admit(List<AnswerAddress> found, String name, AddressDrops drops) {
        int blocked = 0;
        for (int i = 0; i < found.size(); i++) {
            if (neverRoute.contains(found.get(i).address())) {
                blocked++;
            }
        }
        if (blocked == 0 && found.size() <= maxAddresses) {
            return found;
        }
        List<AnswerAddress> kept = new ArrayList<>(Math.min(found.size() - blocked, maxAddresses));
        InetAddress firstBlocked = null;
        for (AnswerAddress a : found) {
            if (neverRoute.contains(a.address())) {
                firstBlocked = firstBlocked == null ? a.address() : firstBlocked;
            } else if (kept.size() < maxAddresses) {
                kept.add(a);
            }
        }
        if (drops != null) {
            count(drops, name, found.size(), blocked, firstBlocked, found.size() - blocked - kept.size());
        }
        return kept;
    }

    private void count(AddressDrops drops, String name, int total, int blocked, InetAddress first, int cut) {
        if (blocked > 0) {
            drops.drop(AddressDrops.Reason.NEVER_ROUTE, blocked, "the answer for " + name + " holds "
                    + first.getHostAddress() + (blocked > 1 ? " and " + (blocked - 1) + " more" : "")
                    + " on a never-route network: not written to the sets");
        }
        if (cut > 0) {
            drops.drop(AddressDrops.Reason.CAP, cut, "the answer for " + name + " holds " + (total - blocked)
                    + " addresses: the first " + maxAddresses + " written to the sets (set-max-addresses)");
        }
    }
}
