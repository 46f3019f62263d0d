package io.splitroute.config;

/**
 * One thing wrong in a config file.
 *
 * @param file    the file (or resource) name
 * @param line    1-based line, or 0 when unknown
 * @param key     the key path, e.g. {@code upstreams.clean[1]}
 * @param message what is wrong, carrying the offending value
 */
public record ConfigProblem(String file, int line, String key, String message) {
    /** Formats as {@code file:line: key: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + key + ": " + message;
    }
}
