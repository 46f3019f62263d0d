package io.splitroute.sink;

import java.util.List;

/**
 * The outcome of one {@link SetWriter#add} call.
 *
 * @param target the set written to
 * @param written how many of the call's elements the kernel acknowledged
 * @param errors one entry per failing element, or one whole-target entry
 */
public record WriteResult(SetTarget target, int written, List<SetError> errors) {
    /** Copies the error list. */
    public WriteResult {
        errors = List.copyOf(errors);
    }

    /** Returns whether every element was written. */
    public boolean ok() {
        return errors.isEmpty();
    }
}
