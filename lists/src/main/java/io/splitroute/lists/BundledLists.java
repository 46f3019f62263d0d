package io.splitroute.lists;

import io.splitroute.lists.format.GfwListFormat;
import io.splitroute.lists.format.ParsedList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Lists shipped inside this module, so that the embedded default configuration works without files.
 *
 * <p>{@code gfwlist.txt} is a snapshot of gfwlist (github.com/gfwlist/gfwlist, LGPL-2.1), commit
 * {@value #GFWLIST_COMMIT}, as published (base64); see the NOTICE next to it.
 */
public final class BundledLists {
    /** The gfwlist commit the bundled snapshot was taken from. */
    public static final String GFWLIST_COMMIT = "7a82f9d836da4db33cbd49838b10df93bb65a893";
    /** The source name recorded in the bundled gfwlist's rule origins. */
    public static final String GFWLIST_SOURCE = "bundled:io/splitroute/lists/gfwlist.txt";

    private BundledLists() {
    }

    /**
     * Returns the bundled gfwlist snapshot, parsed on each call (list name {@code gfwlist}): a running server
     * keeps only the compiled table, not a parsed copy for the whole run.
     *
     * @return the parsed list
     * @throws UncheckedIOException if the resource is missing from the jar (a broken build)
     */
    public static ParsedList gfwlist() {
        return new GfwListFormat().parse("gfwlist", GFWLIST_SOURCE, new String(gfwlistBytes(), StandardCharsets.US_ASCII));
    }

    /** Returns the raw bundled gfwlist file (base64), e.g. to seed a list's last-good copy on disk. */
    public static byte[] gfwlistBytes() {
        try (InputStream in = BundledLists.class.getResourceAsStream("gfwlist.txt")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("resource io/splitroute/lists/gfwlist.txt missing from the classpath"));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
