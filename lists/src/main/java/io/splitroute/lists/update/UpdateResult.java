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

    /** Returns true if the list in service is now the newest good copy (updated or unchanged). */
    default boolean current() {
        return this instanceof Updated || this instanceof Unchanged;
    }

    /**
     * The download was good and replaced the file; the previous copy is kept as {@code FILE.prev}.
     *
     * @param list    the list's name
     * @param rules   rules in the new copy
     * @param added   rules in the new copy and not in the previous one
     * @param removed rules in the previous copy and not in the new one
     */
    record Updated(String list, int rules, int added, int removed) implements UpdateResult {
        @Override
        public String line() {
            return list + ": " + rules + " rules (+" + added + " -" + removed + ") updated";
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
