package io.splitroute.sink;

import java.util.Objects;

/**
 * An ipset, by name.
 *
 * @param name the set name (1 to 31 bytes)
 * @param family the family the set was (or will be) created with
 */
public record IpsetTarget(String name, AddressFamily family) implements SetTarget {
    /** Checks the name fits ipset's limit of 31 bytes. */
    public IpsetTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 31) {
            throw new IllegalArgumentException("ipset name must be 1 to 31 bytes: '" + name + "'");
        }
    }

    @Override
    public String displayName() {
        return "ipset " + name;
    }
}
