package io.splitroute.lists.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Downloads one list with a conditional GET into a temporary file beside the list: follows redirects,
 * accepts gzip, bounds the connect time and the whole download, and stops at the source's
 * {@code max-bytes}. The body is streamed to disk in small buffers, never held in memory.
 */
public final class ListDownloader {
    /** Default bound on connecting. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on a whole download, from request to last byte. */
    public static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
    /** What the temporary file's name ends with ({@code .NAME.RANDOM.download}, hidden, beside the list). */
    public static final String TEMPORARY_SUFFIX = ".download";

    private final Duration connectTimeout;
    /**
     * Made on the first download: a client loads the TLS stack and the CA certificates (about 400 classes
     * and their heap) and starts a selector thread, which a server whose lists are never downloaded does
     * not need.
     */
    private HttpClient client;
    private final Duration downloadTimeout;

    /** A downloader with the default bounds. */
    public ListDownloader() {
        this(CONNECT_TIMEOUT, DOWNLOAD_TIMEOUT);
    }

    /**
     * @param connectTimeout  bound on connecting
     * @param downloadTimeout bound on the whole download
     */
    public ListDownloader(Duration connectTimeout, Duration downloadTimeout) {
        this.connectTimeout = connectTimeout;
        this.downloadTimeout = downloadTimeout;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return client;
    }

    /** The server's answer. */
    public sealed interface Response {
    }

    /** 304: the copy we have is current. */
    public record NotModified() implements Response {
    }

    /**
     * 200: the list, in a temporary file beside the list file; the caller moves it into place or deletes it.
     *
     * @param file       the temporary file holding the content, decompressed
     * @param size       its size in bytes
     * @param validators what identifies this copy for the next conditional request
     */
    public record Body(Path file, long size, CacheValidators validators) implements Response {
    }

    /**
     * Downloads {@code source}, sending {@code known}'s validators (if any) so an unchanged list costs a 304.
     *
     * @param source   the list; its file's directory receives the temporary file
     * @param known    validators of the copy we have, or {@code null}
     * @param progress told how far the download has got
     * @return the answer
     * @throws DownloadException if no complete answer arrived in time, or it is larger than
     *                           {@link ListSource#maxBytes()} ({@link TooLargeException}): its message says why;
     *                           no temporary file is left then
     */
    public Response download(ListSource source, CacheValidators known, DownloadProgress progress) throws DownloadException {
        Path temporary;
        try {
            temporary = temporaryFile(source.file());
        } catch (IOException e) {
            throw new DownloadException("cannot create a file beside " + source.file() + ": " + e, e);
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        // On its own thread so the whole download is bounded: interrupting it cancels the exchange.
        Thread worker = Thread.ofVirtual().name("download-" + source.name()).start(() -> {
            try {
                result.complete(fetch(source, known, progress, temporary));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        boolean handedOver = false;
        try {
            Response response = result.get(downloadTimeout.toMillis(), TimeUnit.MILLISECONDS);
            handedOver = response instanceof Body;
            return response;
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new DownloadException("no complete download within " + seconds(downloadTimeout));
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted");
        } catch (ExecutionException e) {
            throw describe(e.getCause());
        } finally {
            if (!handedOver) {
                // Also when the worker is still writing: on Linux it then writes to a file no name points to.
                deleteQuietly(temporary);
            }
        }
    }

    private Response fetch(ListSource source, CacheValidators known, DownloadProgress progress, Path temporary)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(source.url())
                .timeout(downloadTimeout)
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "splitroute-lists-update");
        if (known != null && known.url().equals(source.url())) {
            if (known.etag() != null) {
                request.header("If-None-Match", known.etag());
            }
            if (known.lastModified() != null) {
                request.header("If-Modified-Since", known.lastModified());
            }
        }
        HttpResponse<InputStream> response = client().send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status == 304) {
                return new NotModified();
            }
            if (status != 200) {
                throw new DownloadException("HTTP " + status + (response.uri().equals(source.url()) ? "" : " from " + response.uri()));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > source.maxBytes()) {
                throw new TooLargeException(source.maxBytes(), "the server announced " + length + " bytes");
            }
            String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").toLowerCase(Locale.ROOT);
            if (!encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("x-gzip")) {
                throw new DownloadException("unsupported Content-Encoding " + encoding);
            }
            long size = save(source, in, length, encoding.equals("identity"), progress, temporary);
            return new Body(temporary, size, new CacheValidators(source.url(),
                    response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null)));
        }
    }

    /** Streams the body, decompressed, into {@code temporary}; returns its size. */
    private static long save(ListSource source, InputStream in, long length, boolean identity, DownloadProgress progress,
                             Path temporary) throws IOException {
        CountingStream counted = new CountingStream(in, source.name(), length, progress);
        long size;
        try (OutputStream out = Files.newOutputStream(temporary)) {
            size = copyCapped(identity ? counted : new GZIPInputStream(counted), out, source.maxBytes());
            counted.transferTo(OutputStream.nullOutputStream()); // what gzip left, so the length check is fair
        } catch (IOException e) {
            if (length >= 0 && counted.received < length && !(e instanceof DownloadException)
                    && !(e instanceof InterruptedIOException) && !Thread.currentThread().isInterrupted()) {
                throw new DownloadException("truncated: connection closed after " + counted.received + " of "
                        + length + " bytes", e);
            }
            throw e;
        }
        if (length >= 0 && counted.received != length) {
            throw new DownloadException("truncated: " + counted.received + " of " + length + " bytes");
        }
        return size;
    }

    private static long copyCapped(InputStream in, OutputStream out, long maxBytes) throws IOException {
        byte[] buffer = new byte[1 << 14];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > maxBytes) {
                throw new TooLargeException(maxBytes, "the download went on past it");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /** A new hidden file beside {@code listFile}, so that moving it over the list is an atomic rename. */
    static Path temporaryFile(Path listFile) throws IOException {
        Path target = listFile.toAbsolutePath();
        Files.createDirectories(target.getParent());
        return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", TEMPORARY_SUFFIX);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover hidden file costs disk only; the next download makes another
        }
    }

    private DownloadException describe(Throwable cause) {
        return switch (cause) {
            case DownloadException d -> d;
            case HttpTimeoutException t -> new DownloadException("timed out: " + t.getMessage(), t);
            case java.net.ConnectException c -> new DownloadException("cannot connect: " + message(c), c);
            case java.util.zip.ZipException z -> new DownloadException("bad gzip body: " + z.getMessage(), z);
            case InterruptedIOException i -> new DownloadException("no complete download within " + seconds(downloadTimeout), i);
            case IOException io -> new DownloadException("connection failed: " + message(io), io);
            default -> new DownloadException(cause.toString(), cause);
        };
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            return message(e.getCause());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A download larger than the list's {@code max-bytes}: the list in service stays. */
    public static final class TooLargeException extends DownloadException {
        /**
         * @param maxBytes the cap
         * @param what     how it showed, e.g. {@code the server announced 20971520 bytes}
         */
        public TooLargeException(long maxBytes, String what) {
            super("larger than max-bytes (" + maxBytes + " bytes): " + what);
        }
    }

    /** Counts the bytes on the wire and reports them. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private final String list;
        private final long total;
        private final DownloadProgress progress;
        long received;

        CountingStream(InputStream in, String list, long total, DownloadProgress progress) {
            super(in);
            this.list = list;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            received += n;
            progress.update(list, received, total);
        }
    }
}
