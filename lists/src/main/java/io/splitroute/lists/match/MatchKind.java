package io.splitroute.lists.match;

/**
 * How a key of a {@link DomainMatcher} compares with a query name, in precedence order: a full match
 * beats any suffix match, a longer suffix beats a shorter one, suffixes beat keywords, keywords beat
 * regular expressions.
 */
public enum MatchKind {
    /** The name equals the key. */
    FULL,
    /** The name equals the key or ends with {@code "." + key} (whole labels only). */
    SUFFIX,
    /** The key occurs anywhere in the name as a substring. */
    KEYWORD,
    /** The regular expression finds a match somewhere in the name (unanchored, like Go's {@code MatchString}). */
    REGEXP
}
