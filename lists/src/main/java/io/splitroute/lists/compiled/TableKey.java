package io.splitroute.lists.compiled;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key kept in a compiled table file: the environment line, the spec's recipe, and the fingerprint of
 * every file the lists were read from, in three length-prefixed sections.
 *
 * @param environment  format version, JDK and code ({@link Fingerprints#environment()})
 * @param recipe       {@link RuleTableSpec#recipe()}
 * @param fingerprints file path to {@link Fingerprints#of}
 */
record TableKey(String environment, String recipe, Map<String, String> fingerprints) {

    String text() {
        StringBuilder files = new StringBuilder();
        fingerprints.forEach((path, fp) -> files.append(path.length()).append(':').append(path).append(' ').append(fp).append('\n'));
        return "sections " + environment.length() + " " + recipe.length() + " " + files.length() + "\n"
                + environment + recipe + files;
    }

    /** Reads a key written by {@link #text()}; a key of any other shape reads as one that matches nothing. */
    static TableKey parse(String text) {
        try {
            int nl = text.indexOf('\n');
            String[] head = text.substring(0, nl).split(" ");
            int e = Integer.parseInt(head[1]);
            int r = Integer.parseInt(head[2]);
            int f = Integer.parseInt(head[3]);
            int at = nl + 1;
            String environment = text.substring(at, at + e);
            String recipe = text.substring(at + e, at + e + r);
            String files = text.substring(at + e + r, at + e + r + f);
            Map<String, String> fingerprints = new LinkedHashMap<>();
            for (int i = 0; i < files.length(); ) {
                int colon = files.indexOf(':', i);
                int length = Integer.parseInt(files.substring(i, colon));
                String path = files.substring(colon + 1, colon + 1 + length);
                int end = files.indexOf('\n', colon + 1 + length);
                fingerprints.put(path, files.substring(colon + 2 + length, end));
                i = end + 1;
            }
            return new TableKey(environment, recipe, fingerprints);
        } catch (RuntimeException e) {
            return new TableKey("unreadable key", "", Map.of());
        }
    }

    /**
     * Tells why a table with this key does not serve {@code recipe} in {@code environment} now.
     *
     * @return the reason, or null if the table is current
     */
    String staleness(String currentEnvironment, String currentRecipe) {
        if (!environment.equals(currentEnvironment)) {
            return "compiled by another splitroute or JDK (" + environment + ")";
        }
        if (!recipe.equals(currentRecipe)) {
            return "the routes or their lists changed in the config";
        }
        for (var f : fingerprints.entrySet()) {
            String now = Fingerprints.ofQuietly(Path.of(f.getKey()));
            if (!now.equals(f.getValue())) {
                return f.getKey() + " changed";
            }
        }
        return null;
    }
}
