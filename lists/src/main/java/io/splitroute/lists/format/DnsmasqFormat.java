package io.splitroute.lists.format;

import io.splitroute.lists.match.DomainNames;
import io.splitroute.lists.match.InvalidDomainNameException;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads dnsmasq configuration files ({@code accelerated-domains.china.conf}, gfwlist2dnsmasq output,
 * OpenWrt {@code ipset=}/{@code nftset=} lists, a whole {@code dnsmasq.conf}).
 *
 * <p>Routing rules are the domains of {@code server=}, {@code local=}, {@code address=}, {@code ipset=} and
 * {@code nftset=} lines: {@code /example.com/} and {@code /.example.com/} become a SUFFIX rule;
 * {@code /*.example.com/} (subdomains only) becomes a SUFFIX rule plus a FULL exception for the apex;
 * {@code /*example.com/} (any name ending in the text) becomes a REGEXP {@code example\.com$};
 * {@code server=/d/#} ("use the default upstreams") becomes a SUFFIX exception. {@code //} (unqualified
 * names) and {@code /#/} (every name) are counted as skipped. {@code #} starts a comment at the start of a
 * line or after whitespace; a {@code #} glued to text is data ({@code 1.2.3.4#5353}).
 */
public final class DnsmasqFormat implements ListFormat {
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** Creates the (stateless) reader. */
    public DnsmasqFormat() {
    }

    @Override
    public ListFormatKind kind() {
        return ListFormatKind.DNSMASQ;
    }

    @Override
    public ParsedList parse(String listName, String source, String text) {
        return read(listName, source, text, false).list();
    }

    /**
     * Reads a configuration with all its directives, for importing a dnsmasq setup.
     *
     * @param listName the list name recorded in rule origins
     * @param source the path or URL
     * @param text the content
     * @return the rules and every directive; unknown options are listed, not errors
     */
    public DnsmasqConfig parseConfig(String listName, String source, String text) {
        return read(listName, source, text, true);
    }

    /**
     * Reads a configuration file with all its directives.
     *
     * @param file the file; its name (without directory) is the list name
     * @return the rules and every directive
     * @throws IOException if the file cannot be read
     */
    public DnsmasqConfig readConfig(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return parseConfig(file.getFileName().toString(), file.toString(), text);
    }

    private DnsmasqConfig read(String listName, String source, String text, boolean keepDirectives) {
        // ~37 bytes per line in the china list: size the collections once instead of growing them 15 times
        return read(listName, source, new Lines(text), text.length() / 36, keepDirectives);
    }

    /** Reads a list streamed line by line; {@code expectedRules} sizes the rule arrays (a hint). */
    ParsedList parse(String listName, String source, Lines lines, int expectedRules) {
        return read(listName, source, lines, expectedRules, false).list();
    }

    private DnsmasqConfig read(String listName, String source, Lines lines, int expectedRules, boolean keepDirectives) {
        ParsedList.Collector c = new ParsedList.Collector(listName, source, kind(), expectedRules);
        List<DnsmasqDirective> directives = new ArrayList<>();
        for (String raw = lines.next(); raw != null; raw = lines.next()) {
            if (!keepDirectives && readPlainServerLine(c, lines.number(), raw)) {
                continue;
            }
            String line = stripComment(raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            DnsmasqDirective d = new LineReader(c, lines.number(), raw).read(line);
            if (d != null && keepDirectives) {
                directives.add(d);
            }
        }
        return new DnsmasqConfig(c.build(), directives);
    }

    /**
     * Fast path for the line shape of the big lists ({@code server=/example.com/114.114.114.114}): one plain
     * domain, an IPv4 upstream, no port, comment, space or wildcard. Gives the same rule or problem as
     * the general path, with a fraction of its allocations; returns false to leave any other line to it.
     */
    private static boolean readPlainServerLine(ParsedList.Collector c, int lineNo, String raw) {
        if (!raw.startsWith("server=/") || raw.length() < 10) {
            return false;
        }
        char first = raw.charAt(8);
        int slash = raw.indexOf('/', 8);
        if (first == '.' || first == '*' || first == '/' || slash < 0 || raw.indexOf('/', slash + 1) >= 0
                || raw.indexOf('#') >= 0 || raw.indexOf(' ') >= 0 || raw.indexOf('\t') >= 0 || raw.indexOf('"') >= 0
                || !isIpv4(raw.substring(slash + 1))) {
            return false;
        }
        try {
            c.rule(RuleKind.SUFFIX, DomainNames.normalize(raw.substring(8, slash)), false, c.source, lineNo, raw);
        } catch (InvalidDomainNameException e) {
            c.problem(lineNo, "invalid name", e.reason());
        }
        return true;
    }

    /** Cuts a comment: {@code #} at the start of the line or after whitespace. */
    static String stripComment(String line) {
        for (int i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
            if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Dotted quad check without a regex (called once per line of a 110 000-line file). */
    static boolean isIpv4(String a) {
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < a.length(); i++) {
            char ch = a.charAt(i);
            if (ch == '.') {
                if (digits == 0) {
                    return false;
                }
                dots++;
                digits = 0;
            } else if (ch >= '0' && ch <= '9' && digits < 3) {
                digits++;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    /** Reads one line; reports problems against its number. */
    private static final class LineReader {
        private final ParsedList.Collector c;
        private final int lineNo;
        private final String raw;

        LineReader(ParsedList.Collector c, int lineNo, String raw) {
            this.c = c;
            this.lineNo = lineNo;
            this.raw = raw;
        }

        DnsmasqDirective read(String line) {
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(line.substring(eq + 1).strip());
            return switch (name) {
                case "server", "local" -> server(name, value);
                case "address" -> address(value);
                case "ipset" -> ipset(value);
                case "nftset" -> nftset(value);
                default -> new DnsmasqDirective.Option(lineNo, raw, name, value);
            };
        }

        private DnsmasqDirective server(String option, String value) {
            if (value == null || value.isEmpty()) {
                return problem("bad directive", option + "= needs a value");
            }
            Split s = split(value);
            if (s == null) {
                return null;
            }
            String target = s.target;
            if (option.equals("local") && !target.isEmpty()) {
                return problem("bad directive", "local= takes only domains, got \"" + target + "\" after them");
            }
            String address = null;
            int port = 0;
            String via = null;
            if (target.equals("#")) {
                address = "#";
            } else if (!target.isEmpty()) {
                int at = target.indexOf('@');
                if (at >= 0) {
                    via = target.substring(at + 1);
                    target = target.substring(0, at);
                }
                int hash = target.indexOf('#');
                address = hash < 0 ? target : target.substring(0, hash);
                port = hash < 0 ? 53 : parsePort(target.substring(hash + 1));
                if (port < 0) {
                    return null;
                }
                if (!isAddress(address)) {
                    return problem("bad address", "upstream \"" + address + "\" is not an IP address");
                }
            }
            List<String> domains = domains(s.domains, !"#".equals(address));
            return domains == null ? null : new DnsmasqDirective.Server(lineNo, raw, option, domains, address, port, via);
        }

        private DnsmasqDirective address(String value) {
            Split s = domainSplit("address= needs /domain/ and an address", value);
            if (s == null) {
                return null;
            }
            String target = s.target.isEmpty() ? null : s.target;
            if (target != null && !target.equals("#") && !isAddress(target)) {
                return problem("bad address", "address \"" + target + "\" is not an IP address");
            }
            List<String> domains = domains(s.domains, true);
            return domains == null ? null : new DnsmasqDirective.Address(lineNo, raw, domains, target);
        }

        private DnsmasqDirective ipset(String value) {
            Split s = domainSplit("ipset= needs /domain/ and at least one set name", value);
            if (s == null || s.target.isEmpty()) {
                return s == null ? null : problem("bad directive", "ipset= needs /domain/ and at least one set name");
            }
            List<String> sets = List.of(s.target.split(","));
            for (String set : sets) {
                if (!SET_NAME.matcher(set).matches()) {
                    return problem("bad set name", "ipset name \"" + set + "\" is not valid");
                }
            }
            List<String> domains = domains(s.domains, true);
            return domains == null ? null : new DnsmasqDirective.Ipset(lineNo, raw, domains, sets);
        }

        private DnsmasqDirective nftset(String value) {
            Split s = domainSplit("nftset= needs /domain/ and at least one set", value);
            if (s == null || s.target.isEmpty()) {
                return s == null ? null : problem("bad directive", "nftset= needs /domain/ and at least one set");
            }
            List<DnsmasqDirective.NftSet> sets = new ArrayList<>();
            for (String spec : s.target.split(",")) {
                DnsmasqDirective.NftSet set = nftSet(spec);
                if (set == null) {
                    return problem("bad set name", "nftset \"" + spec + "\" is not [4#|6#][family#]table#set");
                }
                sets.add(set);
            }
            List<String> domains = domains(s.domains, true);
            return domains == null ? null : new DnsmasqDirective.Nftset(lineNo, raw, domains, List.copyOf(sets));
        }

        private static DnsmasqDirective.NftSet nftSet(String spec) {
            List<String> parts = new ArrayList<>(List.of(spec.split("#", -1)));
            int version = 0;
            if (!parts.isEmpty() && (parts.get(0).equals("4") || parts.get(0).equals("6"))) {
                version = Integer.parseInt(parts.remove(0));
            }
            if (parts.size() < 2 || parts.size() > 3 || parts.stream().anyMatch(p -> !SET_NAME.matcher(p).matches())) {
                return null;
            }
            String family = parts.size() == 3 ? parts.get(0) : null;
            return new DnsmasqDirective.NftSet(version, family, parts.get(parts.size() - 2), parts.get(parts.size() - 1));
        }

        /** {@code /d1/d2/target}: domains between the first and last slash, target after it. */
        private record Split(String domains, String target) {
        }

        /** Splits a value that must start with a domain list; reports and returns null otherwise. */
        private Split domainSplit(String usage, String value) {
            if (value == null || !value.startsWith("/")) {
                problem("bad directive", usage + (value == null ? "" : ", got \"" + value + "\""));
                return null;
            }
            return split(value);
        }

        private Split split(String value) {
            if (!value.startsWith("/")) {
                return new Split(null, value);
            }
            int last = value.lastIndexOf('/');
            if (last == 0) {
                problem("bad directive", "unterminated domain list in \"" + value + "\" (expected /domain/...)");
                return null;
            }
            return new Split(value.substring(1, last), value.substring(last + 1));
        }

        /** Normalises the patterns of a line and adds their rules; bad domains are reported one by one. */
        private List<String> domains(String list, boolean routes) {
            if (list == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String d : list.split("/", -1)) {
                String pattern = pattern(d.strip());
                if (pattern != null) {
                    out.add(pattern);
                    addRule(pattern, !routes);
                }
            }
            return out.isEmpty() ? null : List.copyOf(out);
        }

        private String pattern(String d) {
            if (d.isEmpty() || d.equals("#")) {
                return d;
            }
            String prefix = "";
            String name = d;
            if (name.startsWith("*.")) {
                prefix = "*.";
                name = name.substring(2);
            } else if (name.startsWith("*")) {
                prefix = "*";
                name = name.substring(1);
            }
            if (name.startsWith(".")) {
                name = name.substring(1);
            }
            try {
                return prefix + DomainNames.normalize(name);
            } catch (InvalidDomainNameException e) {
                problem("invalid name", e.reason());
                return null;
            }
        }

        private void addRule(String pattern, boolean exception) {
            Origin origin = new Origin(c.name, c.source, lineNo, raw);
            if (pattern.isEmpty()) {
                c.skip("unqualified-names (//)");
            } else if (pattern.equals("#")) {
                c.skip("every-name (/#/)");
            } else if (pattern.startsWith("*.")) {
                String apex = pattern.substring(2);
                c.rule(new Rule(RuleKind.SUFFIX, apex, exception, origin));
                if (!exception) {
                    c.rule(new Rule(RuleKind.FULL, apex, true, origin));
                }
            } else if (pattern.startsWith("*")) {
                c.rule(new Rule(RuleKind.REGEXP, Pattern.quote(pattern.substring(1)) + "$", exception, origin));
            } else {
                c.rule(new Rule(RuleKind.SUFFIX, pattern, exception, origin));
            }
        }

        private int parsePort(String p) {
            try {
                int port = Integer.parseInt(p);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below with the value
            }
            problem("bad port", "port \"" + p + "\" is not a number from 1 to 65535");
            return -1;
        }

        private static boolean isAddress(String a) {
            return isIpv4(a) || (a.indexOf(':') >= 0 && a.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0));
        }

        private static String unquote(String v) {
            return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }

        private DnsmasqDirective problem(String category, String reason) {
            c.problem(lineNo, category, reason);
            return null;
        }
    }
}
