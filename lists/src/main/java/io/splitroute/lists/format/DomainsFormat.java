package io.splitroute.lists.format;

import io.splitroute.lists.match.DomainNames;
import io.splitroute.lists.match.InvalidDomainNameException;
import io.splitroute.lists.rule.RuleKind;

/**
 * Reads plain domain lists: one name per line, {@code #} starting a comment anywhere, blank lines ignored.
 * Each name becomes a SUFFIX rule (the name and everything under it, as in dnsmasq); a leading dot is
 * accepted and means the same.
 */
public final class DomainsFormat implements ListFormat {
    /** Creates the (stateless) reader. */
    public DomainsFormat() {
    }

    @Override
    public ListFormatKind kind() {
        return ListFormatKind.DOMAINS;
    }

    @Override
    public ParsedList parse(String listName, String source, String text) {
        return parse(listName, source, new Lines(text), text.length() / 16);
    }

    /** Reads a list streamed line by line; {@code expectedRules} sizes the rule arrays (a hint). */
    ParsedList parse(String listName, String source, Lines lines, int expectedRules) {
        ParsedList.Collector c = new ParsedList.Collector(listName, source, kind(), expectedRules);
        for (String raw = lines.next(); raw != null; raw = lines.next()) {
            int hash = raw.indexOf('#');
            String name = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (name.isEmpty()) {
                continue;
            }
            if (name.startsWith(".")) {
                name = name.substring(1);
            }
            try {
                c.rule(RuleKind.SUFFIX, DomainNames.normalize(name), false, source, lines.number(), raw);
            } catch (InvalidDomainNameException e) {
                c.problem(lines.number(), "invalid name", e.reason());
            }
        }
        return c.build();
    }
}
