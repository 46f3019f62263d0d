package io.splitroute.config;

import io.splitroute.sets.Cidr;
import io.splitroute.sets.NeverRouteConfig;
import io.splitroute.sets.WireguardEndpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code never-route: [203.0.113.200/32, ...]} (networks never written to a set) and
 * {@code never-route-wireguard: FILE} (or a list): the files the tunnel's endpoint is read from, a wg-quick
 * config ({@code Endpoint =}) or the routing scripts' settings ({@code WG_ENDPOINT=}), read here, so a file
 * that cannot be read is reported with the config's other problems.
 */
final class NeverRouteSection {
    /** Larger than any WireGuard config or settings file: a mistyped path to a big file is refused. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private NeverRouteSection() {}

    static NeverRouteConfig read(YamlNodes yaml, Map<String, Node> top, Path baseDir) {
        List<Cidr> networks = top.containsKey("never-route")
                ? yaml.list(top.get("never-route"), "never-route", (item, key) -> network(yaml, item, key)) : List.of();
        if (!top.containsKey("never-route-wireguard")) {
            return networks == null ? null : new NeverRouteConfig(networks, List.of(), List.of(), List.of());
        }
        Node filesNode = top.get("never-route-wireguard");
        List<String> names = YamlNodes.isEmptyList(filesNode) ? List.of() : yaml.strings(filesNode, "never-route-wireguard");
        if (networks == null || names == null) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        List<Cidr> endpoints = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        for (String name : names) {
            Path file = baseDir.resolve(name);
            String text = text(yaml, filesNode, file);
            if (text == null) {
                continue;
            }
            WireguardEndpoints.Found found = WireguardEndpoints.read(text);
            files.add(file);
            endpoints.addAll(found.networks());
            found.unused().forEach(message -> unused.add(file + ": " + message));
            if (found.networks().isEmpty() && found.unused().isEmpty()) {
                unused.add(file + ": no Endpoint = or WG_ENDPOINT= line");
            }
        }
        return new NeverRouteConfig(networks, files, endpoints, unused);
    }

    private static Cidr network(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        return text == null ? null : yaml.build(node, key, () -> Cidr.parse(text));
    }

    private static String text(YamlNodes yaml, Node node, Path file) {
        String key = "never-route-wireguard";
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                yaml.problem(node, key, file + " is over " + MAX_FILE_BYTES + " bytes: not a WireGuard or settings file");
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            yaml.problem(node, key, "cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            yaml.problem(node, key, "cannot read " + file + ": permission denied (make it readable by splitroute's "
                    + "user, or name the endpoint's address under never-route)");
        } catch (IOException e) {
            yaml.problem(node, key, "cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }
}
