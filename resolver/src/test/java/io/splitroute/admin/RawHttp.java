package io.splitroute.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests an HTTP client library will not send: a foreign {@code Host}, a
 * huge body, a connection that stops half-way. Each request asks the server to close after answering.
 */
final class RawHttp {
    /** One answer: the status (0 when the server closed without answering) and the whole text. */
    record Answer(int status, String text) {
        String body() {
            int blank = text.indexOf("\r\n\r\n");
            return blank < 0 ? "" : text.substring(blank + 4);
        }
    }

    private RawHttp() {}

    /** Sends {@code method path} with the extra header lines ({@code "Origin: http://x"}) and no body. */
    static Answer send(InetSocketAddress server, String source, String method, String path, String... headers)
            throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String header : headers) {
            request.append(header).append("\r\n");
            host |= header.regionMatches(true, 0, "Host:", 0, 5);
        }
        if (!host) {
            request.append("Host: ").append(server.getAddress().getHostAddress()).append(':').append(server.getPort())
                    .append("\r\n");
        }
        request.append("Connection: close\r\nContent-Length: 0\r\n\r\n");
        try (Socket socket = connect(server, source)) {
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return read(socket.getInputStream());
        }
    }

    /** Opens a connection from the loopback address {@code source} (null: any). */
    static Socket connect(InetSocketAddress server, String source) throws IOException {
        Socket socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(server, 3_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Reads until the server closes (or 5 s pass without a byte); a reset after the answer is the end too. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what was read is the answer
        }
        String text = out.toString(StandardCharsets.ISO_8859_1);
        int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        return new Answer(status, text);
    }
}
