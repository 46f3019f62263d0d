package io.splitroute.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Typed reads from a YAML node tree that record a {@link ConfigProblem} (with line and key path) instead of
 * throwing, so that the loader can report every error at once. A failed read returns {@code null}.
 */
final class YamlNodes {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kKmMgG])(?:i?[bB])?|[bB])?");

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    YamlNodes(String file) {
        this.file = file;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    void problem(Node node, String key, String message) {
        int line = node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        problems.add(new ConfigProblem(file, line, key, message));
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** Reads a mapping's entries in order, reporting keys outside {@code allowed}. */
    Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, key, "expected a mapping (key: value lines), found " + describe(node));
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = scalarText(tuple.getKeyNode());
            String path = key.isEmpty() ? String.valueOf(name) : key + "." + name;
            if (name == null) {
                problem(tuple.getKeyNode(), key, "keys must be plain names");
            } else if (allowed != null && !allowed.contains(name)) {
                problem(tuple.getKeyNode(), path, "unknown key" + suggestion(name, allowed));
            } else if (entries.putIfAbsent(name, tuple.getValueNode()) != null) {
                problem(tuple.getKeyNode(), path, "key given twice");
            }
        }
        return entries;
    }

    /** Reads a sequence; a single scalar is accepted as a one-element list. */
    List<Node> sequence(Node node, String key) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        if (node instanceof ScalarNode) {
            return List.of(node);
        }
        problem(node, key, "expected a list, found " + describe(node));
        return null;
    }

    /** Reads a list of strings. */
    List<String> strings(Node node, String key) {
        List<Node> items = sequence(node, key);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String s = string(items.get(i), key + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Reads a list of values converted one by one; a conversion that throws is reported with its message. */
    <T> List<T> list(Node node, String key, BiFunction<Node, String, T> convert) {
        List<Node> items = sequence(node, key);
        if (items == null) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            T value = convert.apply(items.get(i), key + "[" + i + "]");
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** Reads a non-empty scalar string. */
    String string(Node node, String key) {
        String text = scalarText(node);
        if (text == null) {
            problem(node, key, "expected a text value, found " + describe(node));
            return null;
        }
        if (text.isBlank()) {
            problem(node, key, "must not be empty");
            return null;
        }
        return text.strip();
    }

    /** Reads an integer in {@code [min, max]}. */
    Long integer(Node node, String key, long min, long max) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min || value > max) {
                problem(node, key, "must be between " + min + " and " + max + ", got " + value);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(node, key, "expected a whole number, got '" + text + "'");
            return null;
        }
    }

    /** Reads a boolean ({@code true}/{@code false}). */
    Boolean bool(Node node, String key) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(node, key, "expected true or false, got '" + text + "'");
                yield null;
            }
        };
    }

    /** Reads a duration: {@code 1500ms}, {@code 2s}, {@code 5m}, {@code 6h}, {@code 1d}, or plain seconds. */
    Duration duration(Node node, String key) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            problem(node, key, "expected a duration such as 500ms, 2s, 5m, 6h, got '" + text + "'");
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
            problem(node, key, "duration '" + text + "' is too long");
            return null;
        }
    }

    /** Reads a duration that must be more than 0. */
    Duration positive(Node node, String key) {
        Duration d = duration(node, key);
        if (d != null && d.isZero()) {
            problem(node, key, "must be more than 0");
            return null;
        }
        return d;
    }

    /** Reads a fraction: {@code 0.5} or {@code 50%}. */
    Double fraction(Node node, String key) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        try {
            double v = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                    : Double.parseDouble(text);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(node, key, "expected a fraction between 0 and 1 (0.5) or a percentage (50%), got '" + text + "'");
        return null;
    }

    /** Reads a size in bytes in {@code [min, max]}: {@code 65536}, {@code 512k}, {@code 10MiB}, {@code 1g} (1024-based). */
    Long size(Node node, String key, long min, long max) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.replace("_", ""));
        if (!m.matches()) {
            problem(node, key, "expected a size such as 10MiB, 512k or 65536 (bytes), got '" + text + "'");
            return null;
        }
        int shift = m.group(2) == null ? 0 : switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n <= (max >> shift) && (n << shift) >= min) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // too many digits: reported below
        }
        problem(node, key, (max == Long.MAX_VALUE ? "must be at least " + bytes(min)
                : "must be between " + bytes(min) + " and " + bytes(max)) + ", got '" + text + "'");
        return null;
    }

    /** {@code 4g}, {@code 512k}, {@code 1000 bytes}: a bound as a user would write it. */
    private static String bytes(long n) {
        for (int shift = 30; shift >= 10; shift -= 10) {
            if (n != 0 && n % (1L << shift) == 0) {
                return (n >> shift) + (shift == 30 ? "g" : shift == 20 ? "m" : "k");
            }
        }
        return n + " bytes";
    }

    /**
     * Makes a record whose constructor validates it; a rejected value is reported at {@code node} and
     * {@code key} with the record's message, and {@code null} returned.
     */
    <T> T build(Node node, String key, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            problem(node, key, e.getMessage());
            return null;
        }
    }

    /** Returns whether {@code node} is a list with no items. */
    static boolean isEmptyList(Node node) {
        return node instanceof SequenceNode seq && seq.getValue().isEmpty();
    }

    /** Returns {@code " (known: a, b)"} for an error about an unknown name, or nothing when none are known. */
    static String known(java.util.Collection<String> names) {
        return names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")";
    }

    static String scalarText(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        return switch (node) {
            case MappingNode ignored -> "a mapping";
            case SequenceNode ignored -> "a list";
            case ScalarNode s -> "'" + s.getValue() + "'";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String suggestion(String name, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        String known = String.join(", ", allowed.stream().sorted().toList());
        return best != null ? " (did you mean '" + best + "'?)" : " (known keys: " + known + ")";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
