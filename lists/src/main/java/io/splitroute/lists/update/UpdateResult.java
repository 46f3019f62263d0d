package io.splitroute.lists.update;

/**
 * How the update of one list ended; {@link #line()} is what {@code splitroute lists update} prints.
 * Only {@link Updated} changed the file on disk.
 */
public sealed interface UpdateResult {

    /** Returns the list's name. */
    String list();

    /** Returns the one-line report, e.g. {@code gfwlist: 4368 rules (+12 -3) updated}. */
    String line();

    /**
     * Returns lines to print under {@link #line()}: the first dropped lines of an updated list, each
     * {@code source:line: reason} (see {@link io.splitroute.lists.format.DroppedLines#lines()}); empty otherwise.
     */
    default java.util.List<String> details() {
        return java.util.List.of();
    }

    /** Returns true if the list in service is now the newest good copy (updated or unchanged). */
    default boolean current() {
        return this instanceof Updated || this instanceof Unchanged;
    }

    /**
     * The download was good and replaced the file; the previous copy is kept as {@code FILE.prev}.
     *
     * @param list    the list's name
     * @param rules   rules (networks, for an IP list) in the new copy
     * @param added   rules in the new copy and not in the previous one
     * @param removed rules in the previous copy and not in the new one
     * @param dropped the new copy's lines that were dropped as bad (its summary names the first ones)
     * @param unit    what the rules are called: {@code rules}, or {@code networks} for an IP list
     */
    record Updated(String list, int rules, int added, int removed, io.splitroute.lists.format.DroppedLines dropped,
                   String unit) implements UpdateResult {
        /**
         * An update of a domain list without dropped lines.
         *
         * @param list    the list's name
         * @param rules   rules in the new copy
         * @param added   rules added
         * @param removed rules removed
         */
        public Updated(String list, int rules, int added, int removed) {
            this(list, rules, added, removed, io.splitroute.lists.format.DroppedLines.none(), "rules");
        }

        /**
         * Returns e.g. {@code gfwlist: 4368 rules (+12 -3) updated}, followed when lines were dropped by
         * {@code , 2 dropped (2 unknown top-level domain), first: URL (base64), decoded line 123: reason}; {@link #details()}
         * lists the first dropped lines.
         */
        @Override
        public String line() {
            String line = list + ": " + rules + " " + unit + " (+" + added + " -" + removed + ") updated";
            return dropped.count() == 0 ? line : line + ", " + dropped.describe() + ", first: " + dropped.first().getFirst();
        }

        @Override
        public java.util.List<String> details() {
            return dropped.lines();
        }
    }

    /**
     * The server had nothing newer: it answered 304, or sent the same bytes as the file in service.
     *
     * @param list the list's name
     * @param why  {@code 304} or {@code same content}
     */
    record Unchanged(String list, String why) implements UpdateResult {
        @Override
        public String line() {
            return list + ": unchanged (" + why + ")";
        }
    }

    /**
     * The download arrived but was not plausible; the file in service was kept.
     *
     * @param list   the list's name
     * @param reason what is wrong with it, with the numbers
     */
    record Rejected(String list, String reason) implements UpdateResult {
        @Override
        public String line() {
            return list + ": rejected: " + reason;
        }
    }

    /**
     * No complete download arrived (HTTP error, timeout, connection lost) or it could not be stored; the
     * file in service was kept.
     *
     * @param list   the list's name
     * @param reason what went wrong
     */
    record Failed(String list, String reason) implements UpdateResult {
        @Override
        public String line() {
            return list + ": failed: " + reason;
        }
    }
}
