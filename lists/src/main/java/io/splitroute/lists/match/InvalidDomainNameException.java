package io.splitroute.lists.match;

/** Thrown by {@link DomainNames#normalize(String)} when a text is not a usable domain name. */
public final class InvalidDomainNameException extends IllegalArgumentException {
    /** Serial form version. */
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * Creates the exception.
     *
     * @param reason why the name is invalid, quoting the offending value
     */
    public InvalidDomainNameException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** Returns why the name is invalid, e.g. {@code "character ' ' not allowed in \"neodb.social \""}. */
    public String reason() {
        return reason;
    }
}
