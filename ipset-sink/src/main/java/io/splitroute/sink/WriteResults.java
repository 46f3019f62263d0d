package io.splitroute.sink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a target's errors into the {@link WriteResult} of one caller's elements, and hands it over. */
final class WriteResults {
    private static final Logger LOG = LoggerFactory.getLogger(WriteResults.class);

    private WriteResults() {}

    /** Gives {@code result} to {@code callback}; what the callback throws is logged, not passed on. */
    static void tell(WriteCallback callback, WriteResult result) {
        try {
            callback.written(result);
        } catch (RuntimeException | Error e) { // one caller's bug must not stop the others' replies
            LOG.error("a set write callback for {} failed", result.target().displayName(), e);
        }
    }

    /** Returns a result for {@code target} with one whole-target I/O error saying {@code why}. */
    static WriteResult failed(SetTarget target, String why) {
        return new WriteResult(target, 0, List.of(new SetError(target, null, SetError.Kind.IO,
                "writing to " + target.displayName() + " failed: " + why)));
    }

    /** Returns the result for {@code elements} given all errors of their target. */
    static WriteResult of(SetTarget target, List<SetElement> elements, List<SetError> targetErrors) {
        if (targetErrors == null || targetErrors.isEmpty()) {
            return new WriteResult(target, elements.size(), List.of());
        }
        Map<InetAddress, SetError> byAddress = new HashMap<>();
        SetError whole = null;
        for (SetError error : targetErrors) {
            if (error.wholeTarget()) {
                whole = error;
            } else {
                byAddress.put(error.address(), error);
            }
        }
        if (whole != null) {
            return new WriteResult(target, 0, List.of(whole));
        }
        List<SetError> mine = new ArrayList<>();
        int written = 0;
        for (SetElement element : elements) {
            SetError error = byAddress.get(element.address());
            if (error == null) {
                written++;
            } else {
                mine.add(error);
            }
        }
        return new WriteResult(target, written, mine);
    }
}
