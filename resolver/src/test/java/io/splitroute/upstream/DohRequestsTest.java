package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class DohRequestsTest {

    private final byte[] wire = UpstreamQuery.of(query("a.test.", Type.A), 0).wire();

    @Test
    void post_messageAsBody_dnsMessageContentType() {
        DohRequests requests = new DohRequests("dns.google", 443, "/dns-query", HttpsUpstream.Method.POST);

        Http2Headers headers = requests.h2Headers(wire);

        assertThat(headers.method()).hasToString("POST");
        assertThat(headers.path()).hasToString("/dns-query");
        assertThat(headers.authority()).hasToString("dns.google");
        assertThat(headers.scheme()).hasToString("https");
        assertThat(headers.get(HttpHeaderNames.CONTENT_TYPE)).hasToString("application/dns-message");
        assertThat(headers.getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(wire.length);
        assertThat(requests.body(wire).readableBytes()).isEqualTo(wire.length);
    }

    @Test
    void get_messageAsUnpaddedBase64url_decodesBackToTheQuery() throws Exception {
        DohRequests requests = new DohRequests("dns.example.net", 8443, "/q?ct", HttpsUpstream.Method.GET);

        Http2Headers headers = requests.h2Headers(wire);
        FullHttpRequest http1 = requests.http1(wire);

        assertThat(headers.authority()).hasToString("dns.example.net:8443");
        assertThat(requests.body(wire)).isNull();
        String dns = new QueryStringDecoder(headers.path().toString()).parameters().get("dns").getFirst();
        assertThat(dns).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        Message decoded = new Message(Base64.getUrlDecoder().decode(dns));
        assertThat(decoded.getQuestion().getName()).hasToString("a.test.");
        assertThat(decoded.getHeader().getID()).isZero();
        assertThat(headers.path().toString()).startsWith("/q?ct&dns=");
        assertThat(http1.uri()).isEqualTo(headers.path().toString());
        assertThat(http1.headers().get(HttpHeaderNames.HOST)).isEqualTo("dns.example.net:8443");
        http1.release();
    }

    @Test
    void problem_onlyA200WithDnsMessageIsAnAnswer() {
        assertThat(DohRequests.problem("200", "application/dns-message")).isNull();
        assertThat(DohRequests.problem("200", "Application/DNS-Message; charset=binary")).isNull();
        assertThat(DohRequests.problem("200", null)).isNull();
        assertThat(DohRequests.problem("404", "text/html")).isEqualTo("HTTP status 404");
        assertThat(DohRequests.problem("200", "text/html")).contains("content type text/html");
    }
}
