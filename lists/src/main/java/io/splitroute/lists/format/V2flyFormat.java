package io.splitroute.lists.format;

import io.splitroute.lists.match.InvalidDomainNameException;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads v2fly domain-list-community {@code data/} files.
 *
 * <p>{@code domain:} (or no prefix) becomes SUFFIX, {@code full:} FULL, {@code keyword:} KEYWORD and
 * {@code regexp:} REGEXP (kept as a Java regular expression; RE2's {@code (?P<name>} is rewritten to
 * {@code (?<name>}, anything else that does not compile is reported). {@code include:name} pulls in the
 * file {@code name} from the same directory; {@code @attr} / {@code @-attr} on an include keep only the
 * rules carrying every {@code @attr} and none of the {@code @-attr} (a rule without attributes passes only
 * a filter without {@code @attr}). {@code #} starts a comment anywhere. Include cycles and missing files
 * are reported on the include line.
 */
public final class V2flyFormat implements ListFormat {
    private final Path directory;

    /** Creates a reader that cannot resolve includes (each is reported): for lists from a string. */
    public V2flyFormat() {
        this(null);
    }

    /**
     * Creates a reader that resolves {@code include:name} as {@code directory/name}.
     *
     * @param directory the {@code data/} directory, or null to report every include
     */
    public V2flyFormat(Path directory) {
        this.directory = directory;
    }

    @Override
    public ListFormatKind kind() {
        return ListFormatKind.V2FLY;
    }

    @Override
    public ParsedList parse(String listName, String source, String text) {
        ParsedList.Collector c = new ParsedList.Collector(listName, source, kind());
        Resolver r = new Resolver(c);
        String fileName = source.substring(source.lastIndexOf('/') + 1);
        r.stack.push(fileName.isEmpty() ? listName : fileName);
        for (Tagged t : r.parseFile(source, text)) {
            c.rule(t.rule);
        }
        return c.build();
    }

    /**
     * Reads a list file, resolving includes in its directory.
     *
     * @param listName the list name for rule origins
     * @param file the file, e.g. {@code data/google}
     * @return the rules with includes resolved
     * @throws IOException if the file cannot be read (included files that cannot be read are reported instead)
     */
    public static ParsedList read(String listName, Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return new V2flyFormat(file.toAbsolutePath().getParent()).parse(listName, file.toString(), text);
    }

    /** A rule with its {@code @attr} tags. */
    private record Tagged(Rule rule, Set<String> attrs) {
    }

    /** Resolves one top-level list: memoises included files, detects cycles. */
    private final class Resolver {
        private final ParsedList.Collector c;
        private final Map<String, List<Tagged>> included = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();

        Resolver(ParsedList.Collector c) {
            this.c = c;
        }

        List<Tagged> parseFile(String source, String text) {
            List<Tagged> out = new ArrayList<>();
            Lines lines = new Lines(text);
            for (String raw = lines.next(); raw != null; raw = lines.next()) {
                parseLine(source, lines.number(), raw, out);
            }
            return out;
        }

        private void parseLine(String source, int lineNo, String raw, List<Tagged> out) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                return;
            }
            int colon = line.indexOf(':');
            String type = colon < 0 ? "domain" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String[] fields = (colon < 0 ? line : line.substring(colon + 1)).strip().split("\\s+");
            String value = fields[0];
            if (value.isEmpty()) {
                c.problem(source, lineNo, "no value", "no value after \"" + type + ":\"");
                return;
            }
            if (type.equals("include")) {
                include(source, lineNo, value, fields, out);
                return;
            }
            Set<String> attrs = new HashSet<>();
            for (int i = 1; i < fields.length; i++) {
                String tag = fields[i];
                if (tag.startsWith("@") && tag.length() > 1) {
                    attrs.add(tag.substring(1).toLowerCase(Locale.ROOT));
                } else if (!tag.startsWith("&") || tag.length() == 1) {
                    c.problem(source, lineNo, "unknown tag", "unknown tag \"" + tag + "\" (expected @attribute or &list)");
                    return;
                }
            }
            RuleKind kind = switch (type) {
                case "domain" -> RuleKind.SUFFIX;
                case "full" -> RuleKind.FULL;
                case "keyword" -> RuleKind.KEYWORD;
                case "regexp" -> RuleKind.REGEXP;
                default -> null;
            };
            if (kind == null) {
                c.problem(source, lineNo, "unknown rule type", "unknown rule type \"" + type + "\" (expected domain, full, keyword, regexp or include)");
                return;
            }
            if (kind == RuleKind.REGEXP) {
                value = value.replace("(?P<", "(?<");
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    c.problem(source, lineNo, "bad regexp", "regexp \"" + value + "\" does not compile: " + e.getDescription());
                    return;
                }
            }
            try {
                out.add(new Tagged(new Rule(kind, value, false, new Origin(c.name, source, lineNo, raw)), Set.copyOf(attrs)));
            } catch (InvalidDomainNameException e) {
                c.problem(source, lineNo, "invalid name", e.reason());
            }
        }

        private void include(String source, int lineNo, String name, String[] fields, List<Tagged> out) {
            Set<String> must = new HashSet<>();
            Set<String> mustNot = new HashSet<>();
            for (int i = 1; i < fields.length; i++) {
                String tag = fields[i].toLowerCase(Locale.ROOT);
                if (tag.startsWith("@-") && tag.length() > 2) {
                    mustNot.add(tag.substring(2));
                } else if (tag.startsWith("@") && tag.length() > 1) {
                    must.add(tag.substring(1));
                } else {
                    c.problem(source, lineNo, "bad include", "unknown include filter \"" + fields[i] + "\" (expected @attribute or @-attribute)");
                    return;
                }
            }
            List<Tagged> rules = resolve(source, lineNo, name);
            for (Tagged t : rules) {
                if (t.attrs.containsAll(must) && t.attrs.stream().noneMatch(mustNot::contains)) {
                    out.add(t);
                }
            }
        }

        private List<Tagged> resolve(String source, int lineNo, String name) {
            if (stack.contains(name)) {
                List<String> cycle = new ArrayList<>(stack);
                java.util.Collections.reverse(cycle);
                c.problem(source, lineNo, "bad include", "include cycle: " + String.join(" -> ", cycle) + " -> " + name);
                return List.of();
            }
            List<Tagged> done = included.get(name);
            if (done != null) {
                return done;
            }
            if (directory == null) {
                c.problem(source, lineNo, "bad include", "include:" + name + " cannot be resolved: the list was not read from a directory");
                return List.of();
            }
            Path file = directory.resolve(name);
            c.include(file.toString());
            if (!file.normalize().startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
                c.problem(source, lineNo, "bad include", "include:" + name + ": no file " + file);
                return List.of();
            }
            String text;
            try {
                text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                c.problem(source, lineNo, "bad include", "include:" + name + ": cannot read " + file + ": " + e.getMessage());
                return List.of();
            }
            stack.push(name);
            List<Tagged> rules = parseFile(file.toString(), text);
            stack.pop();
            included.put(name, rules);
            return rules;
        }
    }
}
