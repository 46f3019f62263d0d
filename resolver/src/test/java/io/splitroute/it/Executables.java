package io.splitroute.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds installed programs the tests drive (dig, dnsmasq, knotd), also in the sbin directories. */
public final class Executables {

    private Executables() {}

    /** Returns the executable called {@code name} on the PATH or in /usr/sbin, /sbin, if any. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
