package io.splitroute.doctor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mangle table as {@code iptables-save -t mangle} prints it, read for one question: which rules mark
 * packets whose destination is in an ipset, and do PREROUTING and OUTPUT lead to them.
 */
final class IptablesRules {
    private final Map<String, List<List<String>>> chains = new LinkedHashMap<>();

    private IptablesRules() {}

    /** Parses the output of {@code iptables-save -t mangle} (other tables in it are ignored). */
    static IptablesRules parse(String save) {
        IptablesRules rules = new IptablesRules();
        boolean mangle = false;
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                mangle = line.equals("*mangle");
            } else if (mangle && line.startsWith("-A ")) {
                List<String> words = words(line);
                rules.chains.computeIfAbsent(words.get(1), c -> new ArrayList<>()).add(words.subList(2, words.size()));
            }
        }
        return rules;
    }

    /** Returns the rules that mark packets to ipset {@code set}, each with its bits and what reaches it. */
    List<Marking> markingsOf(String set) {
        Set<String> fromPrerouting = reachable("PREROUTING");
        Set<String> fromOutput = reachable("OUTPUT");
        List<Marking> found = new ArrayList<>();
        chains.forEach((chain, rules) -> {
            for (List<String> rule : rules) {
                long bits = markBits(rule);
                if (bits >= 0 && matchesSetDestination(rule, set)) {
                    found.add(new Marking("iptables mangle " + chain, bits, fromPrerouting.contains(chain),
                            fromOutput.contains(chain), fromOutput.contains(chain) ? null : "nothing in OUTPUT leads to " + chain));
                }
            }
        });
        return found;
    }

    private Set<String> reachable(String builtin) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(builtin));
        while (!todo.isEmpty()) {
            String chain = todo.pop();
            if (seen.add(chain)) {
                for (List<String> rule : chains.getOrDefault(chain, List.of())) {
                    String target = value(rule, "-j");
                    String go = value(rule, "-g");
                    for (String next : new String[] {target, go}) {
                        if (next != null && chains.containsKey(next)) {
                            todo.push(next);
                        }
                    }
                }
            }
        }
        return seen;
    }

    private static boolean matchesSetDestination(List<String> rule, String set) {
        for (int i = 0; i + 2 < rule.size(); i++) {
            if (rule.get(i).equals("--match-set") && rule.get(i + 1).equals(set) && rule.get(i + 2).startsWith("dst")
                    && (i == 0 || !rule.get(i - 1).equals("!"))) {
                return true;
            }
        }
        return false;
    }

    /** The bits {@code -j MARK} sets for sure, or -1 when the rule does not mark. */
    private static long markBits(List<String> rule) {
        if (!"MARK".equals(value(rule, "-j"))) {
            return -1;
        }
        String xmark = value(rule, "--set-xmark");
        String or = value(rule, "--or-mark");
        String set = value(rule, "--set-mark");
        try {
            if (xmark != null) {
                // (old & ~mask) ^ value: a bit is surely set when it is in both the value and the mask.
                int slash = xmark.indexOf('/');
                long value = number(slash < 0 ? xmark : xmark.substring(0, slash));
                long mask = slash < 0 ? 0xffffffffL : number(xmark.substring(slash + 1));
                return value & mask;
            }
            if (or != null) {
                return number(or);
            }
            if (set != null) {
                return number(set.indexOf('/') < 0 ? set : set.substring(0, set.indexOf('/')));
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static long number(String text) {
        return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
    }

    private static String value(List<String> rule, String option) {
        int i = rule.indexOf(option);
        return i >= 0 && i + 1 < rule.size() ? rule.get(i + 1) : null;
    }

    /** Splits a rule into words, a double-quoted word (a comment) kept whole. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
