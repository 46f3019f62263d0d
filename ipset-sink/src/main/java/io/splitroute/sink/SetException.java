package io.splitroute.sink;

/** A probe or create that failed; the message is the text to show the user. */
public class SetException extends Exception {
    private final SetError.Kind kind;

    /** Creates an exception of {@code kind} with an actionable {@code message}. */
    public SetException(SetError.Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Creates an exception of {@code kind} with an actionable {@code message} and its cause. */
    public SetException(SetError.Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Returns the class of failure. */
    public SetError.Kind kind() {
        return kind;
    }
}
