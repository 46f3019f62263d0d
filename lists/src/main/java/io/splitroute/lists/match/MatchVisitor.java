package io.splitroute.lists.match;

/**
 * Receives the values whose keys match a name, in precedence order (see {@link MatchKind}).
 *
 * @param <T> the matcher's value type
 */
@FunctionalInterface
public interface MatchVisitor<T> {
    /**
     * Called once per matching key.
     *
     * @param kind how the key matched
     * @param value the value stored for the key
     * @return true to receive further matches, false to stop
     */
    boolean visit(MatchKind kind, T value);
}
