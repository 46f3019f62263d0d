package io.splitroute.config;

import io.splitroute.upstream.tls.TlsOptions;
import io.splitroute.upstream.tls.TrustStores;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a {@code tls: { ca-file, pin-sha256: [...], sni }} block: the top-level one (the default of every group
 * with tls:// or https:// servers) and a group's own (which replaces it). The ca-file is read now, so a missing
 * or unreadable file is a config error at its line, not a failed handshake later.
 */
final class TlsSection {
    static final Set<String> KEYS = Set.of("tls");
    private static final Set<String> TLS_KEYS = Set.of("ca-file", "pin-sha256", "sni");

    private TlsSection() {}

    /** Reads the top-level {@code tls:}; {@link TlsOptions#DEFAULT} when absent, {@code null} when wrong. */
    static TlsOptions top(YamlNodes yaml, Map<String, Node> top, Path baseDir) {
        return top.containsKey("tls") ? read(yaml, top.get("tls"), "tls", baseDir) : TlsOptions.DEFAULT;
    }

    /**
     * Reads one block at {@code key}.
     *
     * @param baseDir a relative {@code ca-file} is resolved against it
     * @return the options, or {@code null} after recording a problem
     */
    static TlsOptions read(YamlNodes yaml, Node node, String key, Path baseDir) {
        Map<String, Node> f = yaml.mapping(node, key, TLS_KEYS);
        if (f == null) {
            return null;
        }
        int problems = yaml.problems().size();
        Path caFile = null;
        if (f.containsKey("ca-file")) {
            String file = yaml.string(f.get("ca-file"), key + ".ca-file");
            caFile = file == null ? null : baseDir.resolve(file).normalize();
            if (caFile != null) {
                checkCaFile(yaml, f.get("ca-file"), key + ".ca-file", caFile);
            }
        }
        List<String> pins = f.containsKey("pin-sha256")
                ? yaml.list(f.get("pin-sha256"), key + ".pin-sha256", (item, itemKey) -> pin(yaml, item, itemKey))
                : List.of();
        String sni = f.containsKey("sni") ? yaml.string(f.get("sni"), key + ".sni") : null;
        if (sni != null) {
            yaml.build(f.get("sni"), key + ".sni", () -> new TlsOptions(null, List.of(), sni));
        }
        if (yaml.problems().size() > problems) {
            return null;
        }
        return new TlsOptions(caFile, pins, sni);
    }

    private static String pin(YamlNodes yaml, Node item, String key) {
        String pin = yaml.string(item, key);
        return pin == null ? null : yaml.build(item, key, () -> new TlsOptions(null, List.of(pin), null).pinSha256().getFirst());
    }

    private static void checkCaFile(YamlNodes yaml, Node node, String key, Path file) {
        try {
            TrustStores.fromPem(file);
        } catch (IOException | GeneralSecurityException e) {
            String why = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            yaml.problem(node, key, "cannot read trusted CAs from " + file + ": " + why);
        }
    }
}
