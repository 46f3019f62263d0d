package io.splitroute.query;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a name on no list was answered from the domestic or the trusted side: part of a reply's provenance
 * ({@link Resolution#verdict()}), read by the explanation, the query log and the meters alike.
 *
 * @param kind       domestic, foreign, or undecided
 * @param reason     what decided it
 * @param addresses  the addresses the decision rests on (the domestic ones, the foreign or poison ones); may be
 *                   empty
 * @param list       the IP list that decided: the one holding the addresses (domestic, poison), or the
 *                   {@code domestic-ips} lists they are not in (foreign); {@code null} when no list decided
 * @param remembered whether it came from the verdict cache rather than from the answers of this query
 */
public record Verdict(Kind kind, Reason reason, List<InetAddress> addresses, String list, boolean remembered) {

    /** Checks and copies the arguments. */
    public Verdict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        addresses = List.copyOf(addresses);
    }

    /** Where a name's answers go. */
    public enum Kind {
        /** Its addresses are domestic: the domestic answer is served and nothing is written to the sets. */
        DOMESTIC,
        /** Its domestic answer cannot be used: the trusted answer is served and its addresses are written. */
        FOREIGN,
        /** No answer said either way (no address on either side): the trusted answer is served. */
        UNDECIDED;

        /** Returns the lower-case name used in explanations, logs and meter tags. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What decided a verdict. */
    public enum Reason {
        /** Every address of the domestic answer is in a {@code domestic-ips} list. */
        DOMESTIC_ADDRESSES("every address is in %s"),
        /** An address of the domestic answer is in no {@code domestic-ips} list. */
        FOREIGN_ADDRESS("is not in %s"),
        /** The domestic answer holds a known poison address ({@code poison-ips}). */
        POISON("is a known poison address (%s)"),
        /** The domestic side answered NXDOMAIN; the trusted answer's addresses decided. */
        DOMESTIC_NXDOMAIN("the domestic side said NXDOMAIN; the trusted answer is %s"),
        /** The domestic side answered with no address it could be judged by; the trusted answer decided. */
        DOMESTIC_NO_ADDRESS("the domestic answer has no address; the trusted answer is %s"),
        /** The domestic side failed (SERVFAIL, REFUSED, timeout); the trusted answer decided. */
        DOMESTIC_FAILED("the domestic side failed; the trusted answer is %s"),
        /** Neither side had an address to judge. */
        NO_ADDRESS("neither answer has an address to judge"),
        /** The trusted side failed and the domestic answer had no address to judge. */
        TRUSTED_FAILED("the trusted side failed and the domestic answer has no address"),
        /** Neither side answered (SERVFAIL, REFUSED, timeout). */
        BOTH_FAILED("neither side answered");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** Returns the lower-case, dash-separated name used in logs ({@code foreign-address}). */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Returns whether the domestic side gave no usable answer and the trusted one decided. */
        public boolean trustedDecided() {
            return this == DOMESTIC_NXDOMAIN || this == DOMESTIC_NO_ADDRESS || this == DOMESTIC_FAILED;
        }
    }

    /** Returns this verdict as taken from the verdict cache. */
    public Verdict asRemembered() {
        return remembered ? this : new Verdict(kind, reason, addresses, list, true);
    }

    /**
     * Returns one sentence on why: {@code 203.0.113.66 is not in chnroute}, {@code every address is in chnroute},
     * {@code the domestic side failed; the trusted answer is foreign (not in chnroute)}.
     */
    public String describe() {
        String lists = list == null ? "domestic-ips" : list;
        String judged = switch (reason) {
            case DOMESTIC_ADDRESSES -> Reason.DOMESTIC_ADDRESSES.text.formatted(lists);
            case FOREIGN_ADDRESS -> Reason.FOREIGN_ADDRESS.text.formatted(lists);
            case POISON -> Reason.POISON.text.formatted(lists);
            case DOMESTIC_NXDOMAIN, DOMESTIC_NO_ADDRESS, DOMESTIC_FAILED -> reason.text.formatted(kind == Kind.DOMESTIC
                    ? "domestic (every address in " + lists + ")" : kind == Kind.FOREIGN
                    ? "foreign (not in " + lists + ")" : "not judged");
            case NO_ADDRESS, TRUSTED_FAILED, BOTH_FAILED -> reason.text;
        };
        StringBuilder b = new StringBuilder();
        if (!addresses.isEmpty() && (reason == Reason.FOREIGN_ADDRESS || reason == Reason.POISON)) {
            b.append(addresses.getFirst().getHostAddress()).append(' ');
        }
        return b.append(judged).toString();
    }
}
