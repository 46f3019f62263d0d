package io.splitroute.sink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds waiting to be written, and the one way they are written: merged per target (a later element for the
 * same address wins), handed to a {@link BulkSetWriter} in one call (one netlink message per set), and each
 * caller's future completed with its share of the result. Used by {@link BatchingSetWriter} and
 * {@link InlineSetWriter}.
 */
final class PendingAdds {
    private static final Logger LOG = LoggerFactory.getLogger(PendingAdds.class);

    private PendingAdds() {}

    /** One caller's add, waiting for the next write. */
    record PendingAdd(SetTarget target, List<SetElement> elements, WriteCallback callback) {}

    /** Writes {@code adds} with {@code delegate} and completes their futures; never throws. */
    static void write(BulkSetWriter delegate, List<PendingAdd> adds) {
        if (adds.isEmpty()) {
            return;
        }
        SetTarget only = singleTarget(adds);
        if (only != null) { // the usual turn: every add for one set
            List<SetError> errors;
            try {
                errors = delegate.write(only, adds.size() == 1 ? adds.getFirst().elements() : mergeOne(adds));
            } catch (RuntimeException e) {
                LOG.error("set write to {} failed", only.displayName(), e);
                errors = failAll(List.of(only), SetError.Kind.IO, e.toString()).get(only);
            }
            complete(adds, only, errors);
            return;
        }
        Map<SetTarget, List<SetElement>> batch = merge(adds);
        Map<SetTarget, List<SetError>> errors;
        try {
            errors = delegate.write(batch);
        } catch (RuntimeException e) {
            LOG.error("set write of {} target(s) failed", batch.size(), e);
            errors = failAll(batch.keySet(), SetError.Kind.IO, e.toString());
        }
        complete(adds, errors);
    }

    /** The one target of every add, or {@code null} when they name more than one. */
    private static SetTarget singleTarget(List<PendingAdd> adds) {
        SetTarget target = adds.getFirst().target();
        for (int i = 1; i < adds.size(); i++) {
            if (!adds.get(i).target().equals(target)) {
                return null;
            }
        }
        return target;
    }

    /** The elements of {@code adds} (all for one target), each address once, the latest kept. */
    private static List<SetElement> mergeOne(List<PendingAdd> adds) {
        int total = 0;
        for (int i = 0; i < adds.size(); i++) {
            total += adds.get(i).elements().size();
        }
        return total <= SMALL_MERGE ? mergeSmall(adds, total) : merge(adds).get(adds.getFirst().target());
    }

    /** Completes every add of {@code adds} with the errors given per target. */
    static void complete(List<PendingAdd> adds, Map<SetTarget, List<SetError>> errors) {
        for (int i = 0; i < adds.size(); i++) {
            PendingAdd add = adds.get(i);
            WriteResults.tell(add.callback(), WriteResults.of(add.target(), add.elements(), errors.get(add.target())));
        }
    }

    /** Completes every add of {@code adds}, all for {@code target}, with its errors ({@code null}: none). */
    private static void complete(List<PendingAdd> adds, SetTarget target, List<SetError> errors) {
        for (int i = 0; i < adds.size(); i++) {
            PendingAdd add = adds.get(i);
            WriteResults.tell(add.callback(), WriteResults.of(target, add.elements(), errors));
        }
    }

    /** Returns one whole-target error of {@code kind} for each of {@code targets}. */
    static Map<SetTarget, List<SetError>> failAll(Iterable<SetTarget> targets, SetError.Kind kind, String why) {
        Map<SetTarget, List<SetError>> errors = new LinkedHashMap<>();
        for (SetTarget target : targets) {
            errors.put(target, List.of(new SetError(target, null, kind, "writing to " + target.displayName()
                    + " failed: " + why)));
        }
        return errors;
    }

    /** Below this many elements for one target, duplicates are found by comparing, not hashing. */
    private static final int SMALL_MERGE = 32;

    private static Map<SetTarget, List<SetElement>> merge(List<PendingAdd> adds) {
        if (adds.size() == 1) {
            PendingAdd only = adds.getFirst();
            return Map.of(only.target(), only.elements());
        }
        Map<SetTarget, LinkedHashMap<InetAddress, SetElement>> merged = new LinkedHashMap<>();
        for (PendingAdd add : adds) {
            LinkedHashMap<InetAddress, SetElement> byAddress = merged.computeIfAbsent(add.target(), t -> new LinkedHashMap<>());
            for (SetElement element : add.elements()) {
                byAddress.remove(element.address());
                byAddress.put(element.address(), element);
            }
        }
        Map<SetTarget, List<SetElement>> batch = new LinkedHashMap<>();
        merged.forEach((t, elements) -> batch.put(t, new ArrayList<>(elements.values())));
        return batch;
    }

    /** The elements of {@code adds} (one target, {@code total} elements), each address once, the latest kept. */
    private static List<SetElement> mergeSmall(List<PendingAdd> adds, int total) {
        SetElement[] all = new SetElement[total];
        int n = 0;
        for (int i = 0; i < adds.size(); i++) {
            List<SetElement> elements = adds.get(i).elements();
            for (int j = 0; j < elements.size(); j++) {
                all[n++] = elements.get(j);
            }
        }
        List<SetElement> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean laterSame = false;
            for (int j = i + 1; j < n && !laterSame; j++) {
                laterSame = all[j].address().equals(all[i].address());
            }
            if (!laterSame) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
