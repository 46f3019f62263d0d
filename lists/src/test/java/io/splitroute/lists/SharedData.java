package io.splitroute.lists;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Finds the real lists in {@code ../shared/data} (next to the repository), when they are there. */
public final class SharedData {
    private SharedData() {
    }

    /** Returns the shared data directory, found by walking up from the working directory. */
    public static Optional<Path> dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Returns a file under the shared data directory, or skips the calling test when it is absent. */
    public static Path require(String relative) {
        Optional<Path> file = dir().map(d -> d.resolve(relative)).filter(Files::exists);
        Assumptions.assumeTrue(file.isPresent(), "../shared/data/" + relative + " not present");
        return file.get();
    }
}
