package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin listener's checks of Host, Origin, token and client network, on a listener at 192.168.1.1:9153. */
class AdminGuardTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("192.168.1.1", 9153);
    private final AdminGuard guard = new AdminGuard(List.of("192.168.1.0/24", "::1/128"), List.of("router.lan"), null);

    private static HttpRequest request(String header, String value) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/reload");
        if (header != null) {
            request.headers().set(header, value);
        }
        return request;
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.1:9153", "192.168.1.1", "localhost:9153", "LOCALHOST.", "127.0.0.1:9153",
            "127.1.2.3", "[::1]:9153", "[::1]", "router.lan:9153", "Router.Lan.", "192.168.1.1:19153"})
    void host_namingThisListener_accepted(String host) { // any port: one mapped in front (Docker) differs
        assertThat(guard.check(request("Host", host), LOCAL)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example:9153", "router.lan.attacker.example", "192.168.1.2:9153",
            "localhost:x", "[::1", "[::1]x", "::1", "192.168.1.1:9153:1", "", "1.2.3", "192.168.1.1:1234567"})
    void host_foreignOrMalformed_refused(String host) {
        assertThat(guard.check(request("Host", host), LOCAL)).isEqualTo(AdminRejection.HOST);
    }

    @ParameterizedTest
    @CsvSource({"http://192.168.1.1:9153, true", "https://router.lan:9153, true", "http://[::1]:9153, true",
            "http://192.168.1.1, false", "http://attacker.example:9153, false", "null, false",
            "file://192.168.1.1:9153, false", "http://192.168.1.1:9153/x y, false"})
    void origin_onlyThisListenersOwn(String origin, boolean accepted) {
        assertThat(guard.check(request("Origin", origin), LOCAL)).isEqualTo(accepted ? null : AdminRejection.ORIGIN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Bearer s3cret|true", "bearer s3cret|true", "Bearer  s3cret |true",
            "Bearer s3cre|false", "Bearer s3cret2|false", "Basic s3cret|false", "s3cret|false"})
    void token_exactBearerOnly(String authorization, boolean accepted) {
        AdminGuard withToken = new AdminGuard(null, List.of(), "s3cret");

        assertThat(withToken.check(request("Authorization", authorization), LOCAL))
                .isEqualTo(accepted ? null : AdminRejection.TOKEN);
        assertThat(withToken.check(request(null, null), LOCAL)).isEqualTo(AdminRejection.TOKEN);
    }

    @ParameterizedTest
    @CsvSource({"192.168.1.77, true", "::1, true", "192.168.2.1, false", "10.0.0.1, false"})
    void allow_networksOnly(String client, boolean admitted) {
        assertThat(guard.admits(new InetSocketAddress(client, 40000))).isEqualTo(admitted);
        assertThat(new AdminGuard(null, List.of(), null).admits(new InetSocketAddress(client, 40000))).isTrue();
    }
}
