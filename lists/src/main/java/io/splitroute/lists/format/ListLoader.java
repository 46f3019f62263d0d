package io.splitroute.lists.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The entry point for reading a list: picks the reader for a format, or detects the format.
 *
 * <p>Detection ({@link #detect(String)}) looks at the first non-comment lines: a base64 blob or an
 * {@code [AutoProxy} header or {@code ||}/{@code @@}/{@code |http} rules mean gfwlist; {@code server=},
 * {@code ipset=}, {@code nftset=}, {@code address=} or {@code local=} lines mean dnsmasq; {@code domain:},
 * {@code full:}, {@code keyword:}, {@code regexp:} or {@code include:} lines mean v2fly; anything else is
 * a plain domain list.
 */
public final class ListLoader {
    private static final int DETECT_LINES = 200;
    /**
     * Most rules the arrays of a streamed list are sized for up front (they grow beyond): enough for the
     * china list's 110 000 without regrowing, while a large file of mostly duplicate or bad lines does not
     * reserve tens of MB of heap before its first line is read.
     */
    private static final int MAX_SIZE_HINT = 1 << 17;
    /** How much of a file {@link #load(String, Path, ListFormatKind)} reads to detect its format. */
    private static final int HEAD_BYTES = 64 * 1024;

    private ListLoader() {
    }

    /**
     * Reads a list file.
     *
     * @param listName the list name from the config
     * @param file the file
     * @param formatOrNull the format, or null to detect it
     * @return the parsed list (bad lines are in its problems)
     * @throws IOException if the file cannot be read
     */
    public static ParsedList load(String listName, Path file, ListFormatKind formatOrNull) throws IOException {
        return load(listName, file, file.toString(), formatOrNull);
    }

    /**
     * Reads a list file under another name for it in origins and problems (e.g. the URL a download came
     * from, while it waits in a temporary file).
     *
     * @param listName     the list name from the config
     * @param file         the file
     * @param source       what origins and problems call it
     * @param formatOrNull the format, or null to detect it
     * @return the parsed list (bad lines are in its problems)
     * @throws IOException if the file cannot be read
     */
    public static ParsedList load(String listName, Path file, String source, ListFormatKind formatOrNull) throws IOException {
        if (formatOrNull != null && formatOrNull.ipList()) {
            throw notDomainFormat(formatOrNull);
        }
        ListFormatKind kind = formatOrNull != null ? formatOrNull : detectFromHead(file);
        if (kind == ListFormatKind.DNSMASQ || kind == ListFormatKind.DOMAINS) {
            // Streamed: the 4 MB china list is never held whole (as bytes and again as a string)
            long size = Files.size(file);
            // InputStreamReader replaces malformed UTF-8 as new String(bytes, UTF_8) does (newBufferedReader throws)
            try (Reader in = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
                Lines lines = new Lines(in);
                return kind == ListFormatKind.DNSMASQ
                        ? new DnsmasqFormat().parse(listName, source, lines, (int) Math.min(size / 36, MAX_SIZE_HINT))
                        : new DomainsFormat().parse(listName, source, lines, (int) Math.min(size / 16, MAX_SIZE_HINT));
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (kind == ListFormatKind.GFWLIST || (kind == null && GfwListFiles.isBase64(file))) {
            return GfwListFiles.load(listName, file, source); // streamed: a large download is never held whole
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        kind = kind != null ? kind : detect(text);
        if (kind == ListFormatKind.V2FLY) {
            return new V2flyFormat(file.toAbsolutePath().getParent()).parse(listName, source, text);
        }
        return format(kind).parse(listName, source, text);
    }

    /**
     * Detects the format from the start of a file when that decides it as {@link #detect(String)} on the
     * whole text would; returns null when the whole text is needed (a short base64-looking or undecided head).
     */
    private static ListFormatKind detectFromHead(Path file) throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
            if (n < head.length || in.read() < 0) {
                return null; // small file: read it whole
            }
        }
        int lastNewline = n - 1;
        while (lastNewline >= 0 && head[lastNewline] != '\n') {
            lastNewline--;
        }
        String text = new String(head, 0, lastNewline + 1, StandardCharsets.UTF_8);
        if (GfwListFormat.isBase64(text)) {
            return null;
        }
        ListFormatKind kind = detect(text);
        // DOMAINS is only the fall-back when nothing else was seen: later lines might still decide otherwise
        return kind == ListFormatKind.DOMAINS ? null : kind;
    }

    /**
     * Reads a list from a stream (e.g. a bundled resource); v2fly includes cannot be resolved from a stream.
     *
     * @param listName the list name
     * @param source a name for the stream, used in origins and problems
     * @param in the content, read to the end as UTF-8 and not closed
     * @param formatOrNull the format, or null to detect it
     * @return the parsed list
     * @throws IOException if the stream cannot be read
     */
    public static ParsedList load(String listName, String source, InputStream in, ListFormatKind formatOrNull) throws IOException {
        return parse(listName, source, new String(in.readAllBytes(), StandardCharsets.UTF_8), formatOrNull);
    }

    /**
     * Reads a list from text.
     *
     * @param listName the list name
     * @param source a name for the text, used in origins and problems
     * @param text the content
     * @param formatOrNull the format, or null to detect it
     * @return the parsed list
     */
    public static ParsedList parse(String listName, String source, String text, ListFormatKind formatOrNull) {
        ListFormatKind kind = formatOrNull != null ? formatOrNull : detect(text);
        return format(kind).parse(listName, source, text);
    }

    /**
     * Reads an IP list file ({@code format: cidr}), streamed.
     *
     * @param listName the list name from the config
     * @param file     the file
     * @return the parsed list (bad lines are in its problems)
     * @throws IOException if the file cannot be read
     */
    public static ParsedIpList loadIpList(String listName, Path file) throws IOException {
        return loadIpList(listName, file, file.toString());
    }

    /**
     * Reads an IP list file under another name for it in problems.
     *
     * @param listName the list name from the config
     * @param file     the file
     * @param source   what problems call it
     * @return the parsed list (bad lines are in its problems)
     * @throws IOException if the file cannot be read
     */
    public static ParsedIpList loadIpList(String listName, Path file, String source) throws IOException {
        try (Reader in = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            return new CidrFormat().parse(listName, source, new Lines(in));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static IllegalArgumentException notDomainFormat(ListFormatKind kind) {
        return new IllegalArgumentException(kind.configName() + " is an IP-list format, not a domain-list format");
    }

    /**
     * Returns the reader for a domain-list format; v2fly readers from here resolve no includes.
     *
     * @param kind the format
     * @return a reader
     * @throws IllegalArgumentException for {@link ListFormatKind#CIDR}, an IP-list format
     */
    public static ListFormat format(ListFormatKind kind) {
        return switch (kind) {
            case GFWLIST -> new GfwListFormat();
            case DNSMASQ -> new DnsmasqFormat();
            case DOMAINS -> new DomainsFormat();
            case V2FLY -> new V2flyFormat();
            case CIDR -> throw notDomainFormat(kind);
        };
    }

    /**
     * Guesses the format of a list from its content.
     *
     * @param text the content
     * @return the detected format; {@link ListFormatKind#DOMAINS} when nothing else fits
     */
    public static ListFormatKind detect(String text) {
        if (GfwListFormat.isBase64(text)) {
            return ListFormatKind.GFWLIST;
        }
        Lines lines = new Lines(text);
        int seen = 0;
        for (String raw = lines.next(); raw != null && seen < DETECT_LINES; raw = lines.next()) {
            String line = raw.strip().toLowerCase(Locale.ROOT);
            if (line.startsWith("[autoproxy") || line.startsWith("||") || line.startsWith("@@") || line.startsWith("|http")) {
                return ListFormatKind.GFWLIST;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            seen++;
            String option = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
            if (option.equals("server") || option.equals("ipset") || option.equals("nftset")
                    || option.equals("address") || option.equals("local")) {
                return ListFormatKind.DNSMASQ;
            }
            if (line.startsWith("domain:") || line.startsWith("full:") || line.startsWith("keyword:")
                    || line.startsWith("regexp:") || line.startsWith("include:")) {
                return ListFormatKind.V2FLY;
            }
        }
        return ListFormatKind.DOMAINS;
    }
}
