package io.splitroute.lists.match;

import java.net.IDN;

/**
 * Normalises domain names once, at the door: lower case, one trailing dot removed, IDN to punycode,
 * then validated as LDH labels (underscores allowed, since real DNS names carry them).
 *
 * <p>Two entry points: {@link #normalize(String)} for rules (strict, with a reason on failure) and
 * {@link #toLookupForm(String)} for query names on the hot path (returns its argument unchanged, without
 * allocating, when it is already lower-case ASCII without a trailing dot).
 */
public final class DomainNames {
    /** Longest name in text form without the trailing dot (RFC 1035: 255 octets on the wire). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035). */
    public static final int MAX_LABEL_LENGTH = 63;
    /** Longer than any valid name before punycode encoding can be (4 Unicode units per encoded octet). */
    private static final int MAX_UNICODE_LENGTH = 4 * MAX_NAME_LENGTH;

    private DomainNames() {
    }

    /**
     * Returns the normalised form of a name: lower case, without one trailing dot, IDN labels in punycode.
     *
     * @param name a domain name as written in a list or config, e.g. {@code "WWW.Example.COM."} or {@code "例子.中国"}
     * @return the normalised name, e.g. {@code "www.example.com"}
     * @throws InvalidDomainNameException if the result is not a valid name; the message says why and quotes it
     */
    public static String normalize(String name) {
        if (name == null) {
            throw new InvalidDomainNameException("missing domain name");
        }
        if (isNormalized(name)) {
            return name;
        }
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!isAscii(s)) {
            // No name that fits in 253 octets once encoded is this long in Unicode; the bound also keeps the
            // JDK's encoder away from its own 1024-unit limit, past which it throws a bare RuntimeException.
            if (s.length() > MAX_UNICODE_LENGTH) {
                throw new InvalidDomainNameException("name far longer than " + MAX_NAME_LENGTH + " characters ("
                        + s.length() + ")");
            }
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (RuntimeException e) {
                throw new InvalidDomainNameException("not a valid internationalised name \"" + name + "\": " + e.getMessage());
            }
        }
        s = toLowerAscii(s);
        String reason = invalidReason(s);
        if (reason != null) {
            throw new InvalidDomainNameException(reason);
        }
        return s;
    }

    /**
     * One-pass check of the common case (lists hold hundreds of thousands of names, read at start-up while
     * the JIT is still cold): lower-case LDH labels of 1-63 characters, no leading or trailing hyphen,
     * at most 253 characters.
     */
    private static boolean isNormalized(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_NAME_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (i == labelStart || i - labelStart > MAX_LABEL_LENGTH || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (c == '-') {
                if (i == labelStart) {
                    return false;
                }
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return labelStart < n && n - labelStart <= MAX_LABEL_LENGTH && s.charAt(n - 1) != '-';
    }

    /**
     * Tells whether {@link #normalize(String)} accepts a name.
     *
     * @param name any text
     * @return true if it normalises to a valid domain name
     */
    public static boolean isValid(String name) {
        try {
            normalize(name);
            return true;
        } catch (InvalidDomainNameException e) {
            return false;
        }
    }

    /**
     * Checks an already lower-cased ASCII name and returns why it is invalid, or null if it is valid.
     *
     * @param s a lower-case ASCII name without trailing dot
     * @return the reason, quoting the name, or null
     */
    static String invalidReason(String s) {
        int n = s.length();
        if (n == 0) {
            return "empty domain name";
        }
        if (n > MAX_NAME_LENGTH) {
            return "name longer than " + MAX_NAME_LENGTH + " characters (" + n + "): \"" + s + "\"";
        }
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c == '.') {
                String r = labelReason(s, labelStart, i);
                if (r != null) {
                    return r;
                }
                labelStart = i + 1;
            } else if (!isLdhOrUnderscore(c)) {
                if (c == '*') {
                    return "wildcard '*' inside a label in \"" + s + "\"";
                }
                return "character " + describe(c) + " not allowed in \"" + s + "\"";
            }
        }
        return null;
    }

    private static String labelReason(String s, int start, int end) {
        int len = end - start;
        if (len == 0) {
            return "empty label in \"" + s + "\"";
        }
        if (len > MAX_LABEL_LENGTH) {
            return "label longer than " + MAX_LABEL_LENGTH + " characters in \"" + s + "\"";
        }
        if (s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
            return "label starts or ends with '-' in \"" + s + "\"";
        }
        return null;
    }

    /**
     * Returns a query name in the form the matcher expects, or null if it cannot be a domain name.
     *
     * <p>Fast path for the usual case: a name that is already lower-case ASCII without a trailing dot is
     * returned as is, without allocating. Otherwise ASCII letters are lower-cased, one trailing dot is
     * removed and non-ASCII names go through IDN. No length or label validation is done: an invalid name
     * simply matches nothing.
     *
     * @param name a query name in any case, with or without trailing dot
     * @return the lookup form, or null if IDN conversion fails or {@code name} is null
     */
    public static String toLookupForm(String name) {
        if (name == null) {
            return null;
        }
        int n = name.length();
        boolean clean = n == 0 || name.charAt(n - 1) != '.';
        for (int i = 0; clean && i < n; i++) {
            char c = name.charAt(i);
            clean = c < 0x80 && (c < 'A' || c > 'Z');
        }
        if (clean) {
            return name;
        }
        String s = name.endsWith(".") ? name.substring(0, n - 1) : name;
        if (!isAscii(s)) {
            // No name that fits in 253 octets once encoded is this long in Unicode; the bound also keeps the
            // JDK's encoder away from its own 1024-unit limit, past which it throws a bare RuntimeException.
            if (s.length() > MAX_UNICODE_LENGTH) {
                return null;
            }
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return toLowerAscii(s);
    }

    /**
     * Tells whether the last label of a normalised name is a top-level domain known to the running JDK
     * (see {@link KnownTlds}). Useful to catch typos such as {@code googlescholar.comusa} in public lists.
     *
     * @param normalized a name returned by {@link #normalize(String)}
     * @return true if the TLD is known, or if the JDK carries no suffix list to check against
     */
    public static boolean hasKnownTld(String normalized) {
        int dot = normalized.lastIndexOf('.');
        return KnownTlds.isKnown(normalized.substring(dot + 1));
    }

    static boolean isLdhOrUnderscore(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String toLowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    char d = chars[j];
                    if (d >= 'A' && d <= 'Z') {
                        chars[j] = (char) (d + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "' ' (space)";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
