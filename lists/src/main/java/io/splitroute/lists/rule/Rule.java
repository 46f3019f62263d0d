package io.splitroute.lists.rule;

import io.splitroute.lists.match.DomainNames;
import java.util.Locale;
import java.util.Objects;

/**
 * One routing rule: a kind, a value, whether it is an exception ({@code @@} in gfwlist), and its origin.
 *
 * <p>FULL and SUFFIX values are normalised on construction ({@link DomainNames#normalize(String)}), KEYWORD
 * values are lower-cased, REGEXP values are kept as written.
 *
 * @param kind how the value is compared
 * @param value the domain, keyword or regular expression
 * @param exception true if the rule keeps matching names off its route
 * @param origin where the rule was read
 */
public record Rule(RuleKind kind, String value, boolean exception, Origin origin) {
    /**
     * Checks and normalises the components.
     *
     * @throws io.splitroute.lists.match.InvalidDomainNameException if a FULL or SUFFIX value is not a valid name
     */
    public Rule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
        value = switch (kind) {
            case FULL, SUFFIX -> DomainNames.normalize(value);
            case KEYWORD -> nonEmpty(value.toLowerCase(Locale.ROOT));
            case REGEXP -> nonEmpty(value);
        };
    }

    private static String nonEmpty(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty keyword or regexp");
        }
        return v;
    }

    /**
     * Returns a suffix rule (the name and everything under it).
     *
     * @param name the domain name, normalised here
     * @param origin where the rule was read
     * @return the rule
     */
    public static Rule suffix(String name, Origin origin) {
        return new Rule(RuleKind.SUFFIX, name, false, origin);
    }

    /**
     * Returns a full rule (exactly this name).
     *
     * @param name the domain name, normalised here
     * @param origin where the rule was read
     * @return the rule
     */
    public static Rule full(String name, Origin origin) {
        return new Rule(RuleKind.FULL, name, false, origin);
    }

    /** Returns the same rule as an exception. */
    public Rule asException() {
        return exception ? this : new Rule(kind, value, true, origin);
    }

    /** Returns a short form such as {@code suffix:google.com} or {@code @@suffix:dl.google.com}. */
    public String describe() {
        return (exception ? "@@" : "") + kind.name().toLowerCase(Locale.ROOT) + ":" + value;
    }

    /** Returns {@link #describe()} followed by the origin. */
    @Override
    public String toString() {
        return describe() + " from " + origin;
    }
}
