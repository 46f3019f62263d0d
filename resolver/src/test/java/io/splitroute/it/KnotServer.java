package io.splitroute.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.xbill.DNS.Type;

/**
 * knotd (Debian {@code knot}) serving the given zones authoritatively on 127.0.0.1:port: a real, fast
 * upstream with real SOA records, TTLs, CNAME chains and negative answers.
 */
public final class KnotServer implements AutoCloseable {

    private final ChildProcess process;
    private final int port;
    private final Path runDir;

    private KnotServer(ChildProcess process, int port, Path runDir) {
        this.process = process;
        this.port = port;
        this.runDir = runDir;
    }

    /**
     * Writes a config and one zone file per entry of {@code zones} (origin without trailing dot to zone
     * file text) into {@code dir}, starts knotd on a free loopback port and waits until it answers.
     *
     * @throws IOException if the files cannot be written or knotd cannot be started
     * @throws IllegalStateException if knotd exits or does not answer within 10 s
     */
    public static KnotServer start(Path dir, Map<String, String> zones) throws IOException {
        Path knotd = Executables.find("knotd")
                .orElseThrow(() -> new IllegalStateException("knotd not installed (apt-get install knot)"));
        dir = Files.createDirectories(dir).toAbsolutePath();
        // knotd's control socket lives in its run dir; a unix socket path must stay under 108 bytes.
        Path runDir = Files.createTempDirectory("knot");
        int port = LoopbackPorts.freePort();
        StringBuilder conf = new StringBuilder()
                .append("server:\n")
                .append("    rundir: ").append(runDir).append('\n')
                .append("    listen: 127.0.0.1@").append(port).append('\n')
                .append("    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
                .append("database:\n    storage: ").append(dir).append('\n')
                .append("log:\n  - target: stderr\n    any: notice\n")
                .append("template:\n  - id: default\n    storage: ").append(dir).append('\n')
                .append("    file: \"%s.zone\"\n    journal-content: none\n    zonefile-sync: -1\n")
                .append("zone:\n");
        for (Map.Entry<String, String> zone : zones.entrySet()) {
            Files.writeString(dir.resolve(zone.getKey() + ".zone"), zone.getValue());
            conf.append("  - domain: ").append(zone.getKey()).append('\n');
        }
        Path confFile = Files.writeString(dir.resolve("knot.conf"), conf);
        ChildProcess process = ChildProcess.start("knotd",
                List.of(knotd.toString(), "-c", confFile.toString()), dir.resolve("knotd.log"));
        try {
            String firstZone = zones.keySet().iterator().next();
            LoopbackResolver.awaitFirstAnswer(process, port, firstZone, Type.SOA, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            process.close();
            deleteRunDir(runDir);
            throw e;
        }
        return new KnotServer(process, port, runDir);
    }

    /** Returns the loopback port knotd answers on (UDP and TCP). */
    public int port() {
        return port;
    }

    /** Stops knotd and removes its run directory. */
    @Override
    public void close() {
        process.close();
        deleteRunDir(runDir);
    }

    private static void deleteRunDir(Path runDir) {
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove knotd's run directory " + runDir, e);
        }
    }
}
