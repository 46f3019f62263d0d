package io.splitroute.lists.format;

import io.splitroute.lists.match.DomainNames;
import io.splitroute.lists.match.InvalidDomainNameException;
import io.splitroute.lists.rule.RuleKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads gfwlist (AutoProxy / Adblock-Plus style) lists, either base64 as published or decoded.
 *
 * <p>Every rule becomes a SUFFIX rule on its host: DNS sees names, not URLs, so {@code ||x},
 * {@code |http://x/path}, {@code .x} and a bare {@code x} or {@code x/path} all mean "x and every name under
 * it" (what gfwlist2dnsmasq produces too). Paths, {@code %2F} paths, {@code :port} and the
 * Adblock separator {@code ^} are cut. A wildcard first label ({@code *.x}, {@code cdn*.x},
 * {@code *2.x}) is dropped, routing the suffix after it ({@code |https://fbcdn*.akamaihd.net/} routes
 * {@code akamaihd.net}), and so is a {@code *} glued to the end of the host ({@code phobos.apple.com*});
 * any other {@code *} is reported. {@code @@} rules become exception rules.
 * {@code /regex/} rules and IP-address hosts are skipped and counted, never reported. A host that is not a
 * valid name, or whose TLD the JDK does not know ({@code googlescholar.comUSA}), is reported.
 *
 * <p>For a base64 list, line numbers count lines of the decoded text ({@code base64 -d FILE | sed -n Np}
 * shows line N), and origins and problems say so: their source is {@code FILE (decoded)}, which messages show
 * as {@code FILE (base64), decoded line N} ({@link io.splitroute.lists.rule.Origin#location()}).
 */
public final class GfwListFormat implements ListFormat {
    private static final Pattern WILDCARD_FIRST_LABEL = Pattern.compile("[a-z0-9]*\\*[-a-z0-9]*");

    /** Creates the (stateless) reader. */
    public GfwListFormat() {
    }

    @Override
    public ListFormatKind kind() {
        return ListFormatKind.GFWLIST;
    }

    /** Reads a gfwlist; base64 content is detected and decoded as a whole first. */
    @Override
    public ParsedList parse(String listName, String source, String text) {
        if (!isBase64(text)) {
            return parse(listName, source, new Lines(text));
        }
        String decoded;
        try {
            decoded = new String(Base64.getMimeDecoder().decode(text.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            ParsedList.Collector c = new ParsedList.Collector(listName, source, kind());
            c.problem(1, "bad base64", "looks like base64 but does not decode: " + e.getMessage());
            return c.build();
        }
        return parse(listName, source, decodedSource(source), new Lines(decoded));
    }

    /**
     * Returns how origins and problems name a base64 list: its line numbers count lines of the decoded
     * text, which no line of the file itself matches.
     *
     * @param source the file path or URL
     * @return {@code source + " (decoded)"} ({@link io.splitroute.lists.rule.Origin#DECODED})
     */
    public static String decodedSource(String source) {
        return source + io.splitroute.lists.rule.Origin.DECODED;
    }

    /** Reads decoded (plain) gfwlist lines streamed from {@code lines}. */
    ParsedList parse(String listName, String source, Lines lines) {
        return parse(listName, source, source, lines);
    }

    /** Reads decoded lines; origins and problems name {@code lineSource}, the list itself {@code source}. */
    ParsedList parse(String listName, String source, String lineSource, Lines lines) {
        ParsedList.Collector c = new ParsedList.Collector(listName, source, kind(), lineSource);
        for (String line = lines.next(); line != null; line = lines.next()) {
            parseLine(c, lines.number(), line);
        }
        return c.build();
    }

    /**
     * Tells whether a text is a base64 blob rather than rule lines: only base64 characters and whitespace,
     * and enough of them. Rule lines always contain a {@code .} or {@code |}, which base64 never does.
     *
     * @param text the file content
     * @return true if the text should be decoded first
     */
    public static boolean isBase64(String text) {
        int significant = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\uFEFF') {
                continue;
            }
            boolean b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
            if (!b64) {
                return false;
            }
            significant++;
        }
        return significant >= 16;
    }

    private static void parseLine(ParsedList.Collector c, int lineNo, String raw) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("!") || (line.startsWith("[") && line.endsWith("]"))) {
            return;
        }
        boolean exception = line.startsWith("@@");
        String r = exception ? line.substring(2) : line;
        // "/regex/"; gfwlist also carries one exception regex without its closing slash
        if (r.startsWith("/")) {
            c.skip("regex");
            return;
        }
        String host;
        if (r.startsWith("||")) {
            host = r.substring(2);
        } else if (r.startsWith("|")) {
            host = stripScheme(r.substring(1));
        } else if (r.startsWith(".")) {
            host = r.substring(1);
        } else {
            host = stripScheme(r);
        }
        if (host.startsWith("[") || DnsmasqFormat.isIpv4(hostPart(host))) {
            c.skip("ip");
            return;
        }
        host = dropWildcardLabel(hostPart(host).toLowerCase(Locale.ROOT));
        if (host.isEmpty()) {
            c.problem(lineNo, "no host", "no host in rule \"" + raw + "\"");
            return;
        }
        String name;
        try {
            name = DomainNames.normalize(host);
        } catch (InvalidDomainNameException e) {
            c.problem(lineNo, "invalid name", e.reason() + " (rule \"" + raw + "\")");
            return;
        }
        if (!DomainNames.hasKnownTld(name)) {
            String tld = name.substring(name.lastIndexOf('.') + 1);
            c.problem(lineNo, "unknown top-level domain", "unknown top-level domain \"" + tld + "\" in \"" + name + "\" (rule \"" + raw + "\")");
            return;
        }
        c.rule(RuleKind.SUFFIX, name, exception, c.lineSource, lineNo, raw);
    }

    private static String stripScheme(String s) {
        String lower = s.length() > 8 ? s.substring(0, 8).toLowerCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            return s.substring(7);
        }
        if (lower.startsWith("https://")) {
            return s.substring(8);
        }
        return s;
    }

    /** Cuts a rule at its path ({@code /} or {@code %2F}), port, query or Adblock separator. */
    private static String hostPart(String s) {
        int end = s.length();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '/' || ch == ':' || ch == '^' || ch == '?') {
                end = i;
                break;
            }
            if (ch == '%' && s.regionMatches(true, i, "%2F", 0, 3)) {
                end = i;
                break;
            }
        }
        return s.substring(0, end);
    }

    /**
     * Drops a first label holding a wildcard ({@code *}, {@code cdn*}, {@code *2}) and cuts a wildcard
     * glued to the end of the last label ({@code phobos.apple.com*}, {@code hkheadline.com*blog}), as
     * gfwlist2dnsmasq does; other wildcards ({@code s3-ap-*.x}, {@code example.*}) stay and get reported.
     */
    private static String dropWildcardLabel(String host) {
        if (host.indexOf('*') < 0) {
            return host;
        }
        int dot = host.indexOf('.');
        if (dot >= 0 && WILDCARD_FIRST_LABEL.matcher(host.substring(0, dot)).matches()) {
            host = host.substring(dot + 1);
        }
        int lastDot = host.lastIndexOf('.');
        int star = host.indexOf('*', lastDot + 1);
        if (lastDot > 0 && star > lastDot + 1) {
            host = host.substring(0, star);
        }
        return host;
    }
}
