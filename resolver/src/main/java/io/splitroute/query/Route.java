package io.splitroute.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a query goes and what is done with its answer: the route's name, the name of its upstream group, the
 * names of the kernel sets its answers are written to, and its AAAA policy. Made once per route by each
 * routing snapshot (not per query).
 *
 * <p>The features a route names hang their compiled form for this snapshot on the route as {@linkplain #part
 * parts} (the running upstream group, the sets' kernel targets), under a {@link Key} each feature owns, as
 * Netty's {@code AttributeKey}. A query carries the route it was routed with, so a reload in the middle of its
 * resolution never mixes the old routing with the new upstreams or sets, while this package knows none of
 * those types.
 *
 * @param name     the route's name ({@value #DEFAULT} or {@value #UNLISTED} for unmatched names)
 * @param upstream the name of its upstream group
 * @param sets     the names of the kernel sets its answers are written to (empty: none)
 * @param aaaa     what it does with IPv6 addresses in answers
 * @param parts    the features' compiled parts, by key (empty where nothing is running, as in {@code check})
 */
public record Route(String name, String upstream, List<String> sets, AaaaPolicy aaaa, Map<Key<?>, Object> parts) {
    /** The name of the route taken when no rule matches. */
    public static final String DEFAULT = "default";
    /** The name of the route taken when no rule matches and the config has {@code unlisted:} (see the unlisted package). */
    public static final String UNLISTED = "unlisted";

    /** Checks and copies the arguments. */
    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aaaa, "aaaa");
        sets = List.copyOf(sets);
        parts = Map.copyOf(parts);
    }

    /** Creates a route with no parts. */
    public static Route of(String name, String upstream, List<String> sets, AaaaPolicy aaaa) {
        return new Route(name, upstream, sets, aaaa, Map.of());
    }

    /** Returns this route with {@code value} as its part under {@code key} (replacing one there). */
    public <T> Route with(Key<T> key, T value) {
        Map<Key<?>, Object> more = new HashMap<>(parts);
        more.put(key, Objects.requireNonNull(value, "value"));
        return new Route(name, upstream, sets, aaaa, more);
    }

    /** Returns the part under {@code key}, or {@code null} when the routing that made this route set none. */
    @SuppressWarnings("unchecked") // with(key, value) only stores a T under a Key<T>
    public <T> T part(Key<T> key) {
        return (T) parts.get(key);
    }

    /** Returns whether this is the default route (no rule matched). */
    public boolean isDefault() {
        return DEFAULT.equals(name);
    }

    /**
     * The key of one kind of route part; compared by identity, so each feature's keys are its own.
     *
     * @param <T> the type of the part
     */
    public static final class Key<T> {
        private final String name;

        private Key(String name) {
            this.name = name;
        }

        /** Creates a key; {@code name} is for {@code toString} only. */
        public static <T> Key<T> named(String name) {
            return new Key<>(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
