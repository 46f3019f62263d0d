package io.splitroute.sink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a target's errors into the {@link WriteResult} of one caller's elements. */
final class WriteResults {
    private WriteResults() {}

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
