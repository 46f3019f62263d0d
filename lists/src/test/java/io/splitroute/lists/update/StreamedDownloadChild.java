package io.splitroute.lists.update;

import io.splitroute.lists.format.ListFormatKind;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link StreamedDownloadHeapTest} in a JVM with a small heap: downloads a list several times larger
 * than that heap, once within {@code max-bytes} and once over it, and prints each result line. A body held
 * in memory would end this JVM with an OutOfMemoryError.
 */
final class StreamedDownloadChild {
    private StreamedDownloadChild() {
    }

    /**
     * @param args the directory for the list, and the body size in MiB
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("big.txt");
        long size = Long.parseLong(args[1]) << 20;
        Files.writeString(file, "a.example\n");
        // 500 distinct names repeated: a body of any size that parses into a few rules
        byte[] block = new byte[1 << 16];
        StringBuilder lines = new StringBuilder();
        for (int i = 0; lines.length() < block.length; i++) {
            lines.append("d").append(i % 500).append(".example\n");
        }
        byte[] text = lines.toString().getBytes(StandardCharsets.US_ASCII);
        int usable = new String(text, 0, block.length, StandardCharsets.US_ASCII).lastIndexOf('\n') + 1;
        System.arraycopy(text, 0, block, 0, usable);
        try (ListServer server = new ListServer()) {
            URI url = server.serve("/big.txt", exchange -> {
                long blocks = size / usable;
                exchange.sendResponseHeaders(200, blocks * usable);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long i = 0; i < blocks; i++) {
                        out.write(block, 0, usable);
                    }
                }
            });
            ListUpdater updater = new ListUpdater();
            System.out.println(updater.update(new ListSource("big", file, url, ListFormatKind.DOMAINS, null, 10, 0, size + 1),
                    DownloadProgress.NONE).line());
            server.serve("/chunked.txt", exchange -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size; sent += usable) {
                        out.write(block, 0, usable);
                    }
                } catch (java.io.IOException e) {
                    // the client stopped reading at its cap
                }
            });
            System.out.println(updater.update(new ListSource("capped", file, server.url("/chunked.txt"), ListFormatKind.DOMAINS,
                    null, 10, 0, size / 4), DownloadProgress.NONE).line());
        }
        System.out.println("size of the list in service: " + Files.size(file));
        System.out.println("max heap: " + Runtime.getRuntime().maxMemory());
    }
}
