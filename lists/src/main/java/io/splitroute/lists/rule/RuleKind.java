package io.splitroute.lists.rule;

/** How a rule's value is compared with a query name; declared in precedence order, strongest first. */
public enum RuleKind {
    /** The name equals the value. */
    FULL,
    /** The name equals the value or lies under it, on whole labels. Longer suffixes beat shorter ones. */
    SUFFIX,
    /** The value occurs anywhere in the name. */
    KEYWORD,
    /** The value is a Java regular expression that finds a match in the name. */
    REGEXP
}
