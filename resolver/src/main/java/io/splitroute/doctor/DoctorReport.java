package io.splitroute.doctor;

import java.util.List;
import java.util.Locale;

/**
 * Everything {@code doctor} found, in check order, and what it makes of it: the exit status, the text and
 * the JSON form.
 *
 * @param findings one per check
 */
public record DoctorReport(List<Finding> findings) {
    /** The exit status when every check passed. */
    public static final int ALL_PASSED = 0;
    /** The exit status when a check failed or could not run. */
    public static final int FAILED = 1;
    /** The exit status when the config cannot be used (nothing else was checked). */
    public static final int BAD_CONFIG = 2;

    /** Copies the findings. */
    public DoctorReport {
        findings = List.copyOf(findings);
    }

    /** Returns whether every check passed. */
    public boolean allPassed() {
        return findings.stream().allMatch(Finding::ok);
    }

    /** Returns the exit status: 0 when all passed, 2 when the config failed, 1 otherwise. */
    public int exitStatus() {
        if (allPassed()) {
            return ALL_PASSED;
        }
        boolean badConfig = !findings.isEmpty() && findings.getFirst().check().equals(Doctor.CONFIG)
                && !findings.getFirst().ok();
        return badConfig ? BAD_CONFIG : FAILED;
    }

    /** Returns the last line of the text form: how many checks passed. */
    public String summary() {
        long failed = findings.stream().filter(f -> !f.ok()).count();
        return failed == 0 ? "all " + findings.size() + " checks passed"
                : failed + " of " + findings.size() + " checks did not pass";
    }

    /**
     * Returns one JSON object: {@code {"ok":false,"checks":[{"check":"set gfw4","status":"fail","detail":...,
     * "fix":...},...]}}.
     */
    public String json() {
        StringBuilder b = new StringBuilder("{\"ok\":").append(allPassed()).append(",\"checks\":[");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            b.append(i == 0 ? "" : ",").append("{\"check\":").append(quote(f.check()))
                    .append(",\"status\":").append(quote(f.status().name().toLowerCase(Locale.ROOT)))
                    .append(",\"detail\":").append(quote(f.detail()))
                    .append(",\"fix\":").append(f.fix() == null ? "null" : quote(f.fix())).append('}');
        }
        return b.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
