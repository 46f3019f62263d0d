package io.splitroute.lists;

import io.splitroute.lists.format.CidrFormat;
import io.splitroute.lists.format.GfwListFormat;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedIpList;
import io.splitroute.lists.format.ParsedList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lists shipped inside this module, so that the embedded default configuration works without files. A
 * config names them as {@code file: bundled:gfwlist} and {@code file: bundled:chnroute}.
 *
 * <p>{@code gfwlist.txt} is a snapshot of gfwlist (github.com/gfwlist/gfwlist, LGPL-2.1), commit
 * {@value #GFWLIST_COMMIT}, as published (base64). {@code chnroutes.txt} is a snapshot of chnroutes2
 * (github.com/misakaio/chnroutes2, CC BY-SA 4.0, Misaka Network, Inc.), commit {@value #CHNROUTE_COMMIT},
 * unchanged. See the NOTICE next to them.
 */
public final class BundledLists {
    /** What a {@code file:} value starts with to name a bundled list. */
    public static final String PREFIX = "bundled:";
    /** The gfwlist commit the bundled snapshot was taken from. */
    public static final String GFWLIST_COMMIT = "7a82f9d836da4db33cbd49838b10df93bb65a893";
    /** The source name recorded in the bundled gfwlist's rule origins. */
    public static final String GFWLIST_SOURCE = "bundled:io/splitroute/lists/gfwlist.txt";
    /** The chnroutes2 commit the bundled snapshot was taken from. */
    public static final String CHNROUTE_COMMIT = "4b26dd47ef21bcf74f4e5e062e48bb5717200b9c";
    /** The source name recorded in the bundled chnroute list's problems. */
    public static final String CHNROUTE_SOURCE = "bundled:io/splitroute/lists/chnroutes.txt";

    /** Bundled list names ({@code bundled:NAME}) and their resources next to this class. */
    private static final Map<String, String> RESOURCES = Map.of("gfwlist", "gfwlist.txt", "chnroute", "chnroutes.txt");

    private BundledLists() {
    }

    /**
     * Tells whether a {@code file:} value names a bundled list ({@code bundled:gfwlist}, {@code bundled:chnroute}).
     *
     * @param file the configured file
     * @return true if it starts with {@value #PREFIX}
     */
    public static boolean isBundled(Path file) {
        return file.toString().startsWith(PREFIX);
    }

    /**
     * Reads a domain list from its configured {@code file:}: the bundled snapshot for {@code bundled:gfwlist},
     * else the file ({@link ListLoader#load(String, Path, ListFormatKind)}).
     *
     * @param listName the list name from the config
     * @param file     the configured file
     * @param format   the format, or null to detect it
     * @return the parsed list
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it names a bundled list that is not a domain list
     */
    public static ParsedList readList(String listName, Path file, ListFormatKind format) throws IOException {
        if (!isBundled(file)) {
            return ListLoader.load(listName, file, format);
        }
        if (!file.toString().equals(PREFIX + "gfwlist")) {
            throw new IllegalArgumentException(file + " is not a bundled domain list: there is bundled:gfwlist");
        }
        return gfwlist(listName);
    }

    /**
     * Reads an IP list from its configured {@code file:}: the bundled snapshot for {@code bundled:chnroute},
     * else the file ({@link ListLoader#loadIpList(String, Path)}).
     *
     * @param listName the list name from the config
     * @param file     the configured file
     * @return the parsed IP list
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it names a bundled list that is not an IP list
     */
    public static ParsedIpList readIpList(String listName, Path file) throws IOException {
        if (!isBundled(file)) {
            return ListLoader.loadIpList(listName, file);
        }
        if (!file.toString().equals(PREFIX + "chnroute")) {
            throw new IllegalArgumentException(file + " is not a bundled IP list: there is bundled:chnroute");
        }
        return chnroute(listName);
    }

    /**
     * Returns the raw content of a bundled list.
     *
     * @param file {@code bundled:gfwlist} or {@code bundled:chnroute}
     * @return the file as shipped
     * @throws IllegalArgumentException if no list of that name is bundled (the message lists those that are)
     */
    public static byte[] bytes(Path file) {
        String name = file.toString().startsWith(PREFIX) ? file.toString().substring(PREFIX.length()) : "";
        String resource = RESOURCES.get(name);
        if (resource == null) {
            throw new IllegalArgumentException(file + " is not a bundled list: there are bundled:gfwlist and bundled:chnroute");
        }
        return resource(resource);
    }

    /**
     * Returns the bundled gfwlist snapshot, parsed on each call (list name {@code gfwlist}): a running server
     * keeps only the compiled table, not a parsed copy for the whole run.
     *
     * @return the parsed list
     * @throws UncheckedIOException if the resource is missing from the jar (a broken build)
     */
    public static ParsedList gfwlist() {
        return gfwlist("gfwlist");
    }

    /**
     * Returns the bundled gfwlist snapshot parsed under a list name of the config.
     *
     * @param listName the list name recorded in rule origins
     * @return the parsed list
     */
    public static ParsedList gfwlist(String listName) {
        return new GfwListFormat().parse(listName, GFWLIST_SOURCE, new String(gfwlistBytes(), StandardCharsets.US_ASCII));
    }

    /** Returns the raw bundled gfwlist file (base64), e.g. to seed a list's last-good copy on disk. */
    public static byte[] gfwlistBytes() {
        return resource("gfwlist.txt");
    }

    /**
     * Returns the bundled chnroutes2 snapshot (IPv4 networks announced from mainland China), parsed.
     *
     * @param listName the list name from the config
     * @return the parsed IP list
     */
    public static ParsedIpList chnroute(String listName) {
        return new CidrFormat().parse(listName, CHNROUTE_SOURCE, new String(chnrouteBytes(), StandardCharsets.US_ASCII));
    }

    /** Returns the raw bundled chnroutes2 file, e.g. to seed an IP list's last-good copy on disk. */
    public static byte[] chnrouteBytes() {
        return resource("chnroutes.txt");
    }

    private static byte[] resource(String resource) {
        try (InputStream in = BundledLists.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("resource io/splitroute/lists/" + resource + " missing from the classpath"));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
