package io.splitroute.sets;

import io.splitroute.query.AnswerAddress;
import io.splitroute.query.Resolution;
import io.splitroute.query.Verdict;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the set stage keeps out of a route's sets: the addresses of its {@code exclude-ips} (a listed name whose
 * answer is a domestic CDN node is not sent through the tunnel), and every address of a reply chosen because
 * its name's addresses are domestic (a name on no list with a domestic verdict).
 */
final class ExcludedAddresses {
    private ExcludedAddresses() {}

    /** Returns whether the reply was served as domestic: nothing of it goes to a set. */
    static boolean domestic(Resolution resolution) {
        Verdict verdict = resolution.verdict();
        return verdict != null && verdict.kind() == Verdict.Kind.DOMESTIC;
    }

    /** Returns {@code found} without the addresses {@code exclude} holds; {@code found} itself when it holds none. */
    static List<AnswerAddress> without(List<AnswerAddress> found, Predicate<InetAddress> exclude) {
        if (exclude == null || found.isEmpty()) {
            return found;
        }
        int kept = 0;
        for (int i = 0; i < found.size(); i++) {
            if (!exclude.test(found.get(i).address())) {
                kept++;
            }
        }
        if (kept == found.size()) { // the usual answer: nothing excluded, nothing copied
            return found;
        }
        List<AnswerAddress> out = new ArrayList<>(kept);
        for (int i = 0; i < found.size(); i++) {
            if (!exclude.test(found.get(i).address())) {
                out.add(found.get(i));
            }
        }
        return out;
    }
}
