package io.splitroute.doctor;

import java.util.Objects;

/**
 * The result of one check: what was checked, whether it passed, what was found, and what to do about it.
 *
 * @param check  what was checked, e.g. {@code set gfw4}, {@code ip rule}, {@code name www.google.com}
 * @param status whether it passed
 * @param detail what was found, in one line
 * @param fix    what to do when it did not pass, or {@code null}
 */
public record Finding(String check, Status status, String detail, String fix) {
    /** Whether a check passed. */
    public enum Status {
        /** It passed. */
        OK,
        /** It failed; {@link #fix} says what to do. */
        FAIL,
        /** It could not run because something it needs failed (said in the detail). */
        SKIP
    }

    /** Checks the required fields. */
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /** Returns a passed check. */
    public static Finding ok(String check, String detail) {
        return new Finding(check, Status.OK, detail, null);
    }

    /** Returns a failed check with what to do. */
    public static Finding fail(String check, String detail, String fix) {
        return new Finding(check, Status.FAIL, detail, fix);
    }

    /** Returns a check that could not run, and why. */
    public static Finding skip(String check, String why) {
        return new Finding(check, Status.SKIP, why, null);
    }

    /** Returns whether the check passed. */
    public boolean ok() {
        return status == Status.OK;
    }

    /** Returns the one line a terminal shows: {@code FAIL set gfw4: ... -> what to do}. */
    public String line() {
        String mark = switch (status) {
            case OK -> "ok  ";
            case FAIL -> "FAIL";
            case SKIP -> "skip";
        };
        return mark + " " + check + ": " + detail + (fix == null ? "" : " -> " + fix);
    }
}
