package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Base64;

/**
 * The HTTP form of a DNS query (RFC 8484): {@code POST PATH} with the message as body, or
 * {@code GET PATH?dns=BASE64URL} (no padding); both as {@code application/dns-message}.
 */
final class DohRequests {

    static final AsciiString DNS_MESSAGE = AsciiString.cached("application/dns-message");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String path;
    private final AsciiString authority;
    private final HttpsUpstream.Method method;

    /** Requests for {@code path} at {@code host:port} (the port left out when it is 443). */
    DohRequests(String host, int port, String path, HttpsUpstream.Method method) {
        this.path = path;
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.authority = new AsciiString(port == 443 ? h : h + ":" + port);
        this.method = method;
    }

    /** The HTTP/2 headers for {@code wire}; the body ({@link #body}) follows for POST. */
    Http2Headers h2Headers(byte[] wire) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method(method == HttpsUpstream.Method.GET ? HttpMethod.GET.asciiName() : HttpMethod.POST.asciiName())
                .scheme(HTTPS)
                .authority(authority)
                .path(pathFor(wire))
                .set(HttpHeaderNames.ACCEPT, DNS_MESSAGE);
        if (method == HttpsUpstream.Method.POST) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, DNS_MESSAGE).setInt(HttpHeaderNames.CONTENT_LENGTH, wire.length);
        }
        return headers;
    }

    /** The body to send after the headers, or {@code null} for GET. */
    ByteBuf body(byte[] wire) {
        return method == HttpsUpstream.Method.POST ? Unpooled.wrappedBuffer(wire) : null;
    }

    /** The whole HTTP/1.1 request for {@code wire}. */
    FullHttpRequest http1(byte[] wire) {
        boolean post = method == HttpsUpstream.Method.POST;
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                post ? HttpMethod.POST : HttpMethod.GET, pathFor(wire),
                post ? Unpooled.wrappedBuffer(wire) : Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, authority).set(HttpHeaderNames.ACCEPT, DNS_MESSAGE);
        if (post) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, DNS_MESSAGE).setInt(HttpHeaderNames.CONTENT_LENGTH, wire.length);
        }
        return request;
    }

    private String pathFor(byte[] wire) {
        if (method == HttpsUpstream.Method.POST) {
            return path;
        }
        return path + (path.indexOf('?') >= 0 ? "&" : "?") + "dns=" + BASE64URL.encodeToString(wire);
    }

    /** Why a response with {@code status} and {@code contentType} is no DNS answer, or {@code null}. */
    static String problem(CharSequence status, CharSequence contentType) {
        if (status == null || !"200".contentEquals(status)) {
            return "HTTP status " + status;
        }
        if (contentType != null && !AsciiString.containsIgnoreCase(contentType, DNS_MESSAGE)) {
            return "content type " + contentType + ", not " + DNS_MESSAGE;
        }
        return null;
    }
}
