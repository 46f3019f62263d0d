package io.splitroute.lists.update;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the server said identifies the copy we have ({@code ETag}, {@code Last-Modified}), kept in a small
 * sidecar file {@code FILE.meta} next to the list so the next download can be conditional.
 *
 * @param url          the URL the copy came from; validators from another URL are not sent
 * @param etag         the {@code ETag} header, or {@code null}
 * @param lastModified the {@code Last-Modified} header, or {@code null}
 */
public record CacheValidators(URI url, String etag, String lastModified) {
    /** The sidecar's suffix, appended to the list file's name. */
    public static final String SUFFIX = ".meta";

    /** Returns true if there is anything to make a request conditional with. */
    public boolean any() {
        return etag != null || lastModified != null;
    }

    /** Returns the sidecar file of a list file. */
    public static Path sidecar(Path listFile) {
        return listFile.resolveSibling(listFile.getFileName() + SUFFIX);
    }

    /**
     * Reads the validators kept for {@code listFile}.
     *
     * @return the validators, or {@code null} if there is no sidecar or it has no URL
     * @throws IOException if the sidecar exists but cannot be read
     */
    public static CacheValidators read(Path listFile) throws IOException {
        String text;
        try {
            text = Files.readString(sidecar(listFile), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        String url = p.getProperty("url");
        return url == null ? null : new CacheValidators(URI.create(url), p.getProperty("etag"), p.getProperty("last-modified"));
    }

    /** Returns the sidecar's content ({@code key=value} lines). */
    public byte[] toBytes() {
        Properties p = new Properties();
        p.setProperty("url", url.toString());
        if (etag != null) {
            p.setProperty("etag", etag);
        }
        if (lastModified != null) {
            p.setProperty("last-modified", lastModified);
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, "conditional-GET validators of the list next to this file, written by splitroute lists update");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
