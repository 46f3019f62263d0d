package io.splitroute.doctor;

/**
 * What the firewall does to packets bound for one set: the rule that marks them, with which bits, and whether
 * the LAN's packets (prerouting) and the router's own (output, re-routed after the mark) reach that rule.
 *
 * @param where          the rule's place, e.g. {@code iptables mangle SPLITROUTE} or {@code nft inet splitroute marking}
 * @param bits           the mark bits the rule sets for sure (with {@code --set-xmark V/M}: the bits of both V and M)
 * @param fromPrerouting whether packets from the LAN reach it
 * @param fromOutput     whether the router's own packets reach it where a new mark re-routes them
 * @param outputProblem  why the router's own packets are not covered, or {@code null}
 */
record Marking(String where, long bits, boolean fromPrerouting, boolean fromOutput, String outputProblem) {

    /** Returns whether the rule sets every bit of {@code mark}. */
    boolean sets(long mark) {
        return (bits & mark) == mark;
    }

    /** Returns how good a rule is for {@code mark}: right bits, then LAN, then router (to pick the best of several). */
    int score(long mark) {
        return (sets(mark) ? 4 : 0) + (fromPrerouting ? 2 : 0) + (fromOutput ? 1 : 0);
    }
}
