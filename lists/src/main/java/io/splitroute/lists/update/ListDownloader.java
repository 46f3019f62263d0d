package io.splitroute.lists.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Downloads one list with a conditional GET: follows redirects, accepts gzip, bounds the connect time,
 * the whole download and its size.
 */
public final class ListDownloader {
    /** Default bound on connecting. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on a whole download, from request to last byte. */
    public static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
    /** Default size cap (after decompression): the largest list in use today is a few MiB. */
    public static final long MAX_BYTES = 64L << 20;

    private final Duration connectTimeout;
    /**
     * Made on the first download: a client loads the TLS stack and the CA certificates (about 400 classes
     * and their heap) and starts a selector thread, which a server whose lists are never downloaded does
     * not need.
     */
    private HttpClient client;
    private final Duration downloadTimeout;
    private final long maxBytes;

    /** A downloader with the default bounds. */
    public ListDownloader() {
        this(CONNECT_TIMEOUT, DOWNLOAD_TIMEOUT, MAX_BYTES);
    }

    /**
     * @param connectTimeout  bound on connecting
     * @param downloadTimeout bound on the whole download
     * @param maxBytes        larger bodies fail the download
     */
    public ListDownloader(Duration connectTimeout, Duration downloadTimeout, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " is not positive");
        }
        this.connectTimeout = connectTimeout;
        this.downloadTimeout = downloadTimeout;
        this.maxBytes = maxBytes;
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
     * 200: the list.
     *
     * @param body       the content, decompressed
     * @param validators what identifies this copy for the next conditional request
     */
    public record Body(byte[] body, CacheValidators validators) implements Response {
    }

    /**
     * Downloads {@code source}, sending {@code known}'s validators (if any) so an unchanged list costs a 304.
     *
     * @param source   the list
     * @param known    validators of the copy we have, or {@code null}
     * @param progress told how far the download has got
     * @return the answer
     * @throws DownloadException if no complete answer arrived in time: its message says why
     */
    public Response download(ListSource source, CacheValidators known, DownloadProgress progress) throws DownloadException {
        CompletableFuture<Response> result = new CompletableFuture<>();
        // On its own thread so the whole download is bounded: interrupting it cancels the exchange.
        Thread worker = Thread.ofVirtual().name("download-" + source.name()).start(() -> {
            try {
                result.complete(fetch(source, known, progress));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(downloadTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new DownloadException("no complete download within " + seconds(downloadTimeout));
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted");
        } catch (ExecutionException e) {
            throw describe(e.getCause());
        }
    }

    private Response fetch(ListSource source, CacheValidators known, DownloadProgress progress)
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
            if (length > maxBytes) {
                throw new DownloadException("Content-Length " + length + " is over the cap of " + maxBytes + " bytes");
            }
            String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").toLowerCase(Locale.ROOT);
            CountingStream counted = new CountingStream(in, source.name(), length, progress);
            byte[] body;
            try {
                body = switch (encoding) {
                    case "identity" -> readCapped(counted);
                    case "gzip", "x-gzip" -> readCapped(new GZIPInputStream(counted));
                    default -> throw new DownloadException("unsupported Content-Encoding " + encoding);
                };
                counted.transferTo(java.io.OutputStream.nullOutputStream()); // what gzip left, so the length check is fair
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
            return new Body(body, new CacheValidators(source.url(),
                    response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null)));
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw new DownloadException("larger than the cap of " + maxBytes + " bytes");
        }
        return body;
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
