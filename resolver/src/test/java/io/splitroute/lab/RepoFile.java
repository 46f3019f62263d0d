package io.splitroute.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a file of the repository from the working directory up (failsafe runs in {@code resolver/}). */
final class RepoFile {

    private RepoFile() {}

    /** Returns the path of {@code relative} (e.g. {@code config/routing/x.sh}) in the repository. */
    static Path find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
