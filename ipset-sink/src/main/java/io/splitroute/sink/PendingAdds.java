package io.splitroute.sink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    record PendingAdd(SetTarget target, List<SetElement> elements, CompletableFuture<WriteResult> future) {}

    /** Writes {@code adds} with {@code delegate} and completes their futures; never throws. */
    static void write(BulkSetWriter delegate, List<PendingAdd> adds) {
        if (adds.isEmpty()) {
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

    /** Completes every add of {@code adds} with the errors given per target. */
    static void complete(List<PendingAdd> adds, Map<SetTarget, List<SetError>> errors) {
        for (PendingAdd add : adds) {
            add.future().complete(WriteResults.of(add.target(), add.elements(), errors.get(add.target())));
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
        merged.forEach((target, elements) -> batch.put(target, new ArrayList<>(elements.values())));
        return batch;
    }
}
