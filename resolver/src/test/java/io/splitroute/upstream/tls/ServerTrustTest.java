package io.splitroute.upstream.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.X509Bundle;
import io.splitroute.upstream.lab.TestPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerTrustTest {

    private static TestPki pki;
    private static X509TrustManager testCa;

    @BeforeAll
    static void makeCa(@TempDir Path dir) throws Exception {
        pki = TestPki.create();
        testCa = TrustStores.fromPem(pki.writeCaFile(dir));
    }

    private static X509Certificate[] chain(X509Bundle bundle) {
        return bundle.getCertificatePath();
    }

    private static CertificateRejectedException.Kind refusal(ServerTrust trust, X509Bundle bundle) {
        try {
            trust.checkServerTrusted(chain(bundle), "ECDHE_ECDSA");
            return null;
        } catch (CertificateRejectedException e) {
            return e.kind();
        } catch (java.security.cert.CertificateException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            dns.test            | dns.test         | true
            DNS.Test            | dns.test         | true
            other.test          | dns.test         | false
            192.0.2.53          | 192.0.2.53       | true
            192.0.2.53          | 192.0.2.54       | false
            2001:db8::53        | 2001:db8:0::53   | true
            dns.test            | 192.0.2.53       | false
            """)
    void certificateName_matchedAsBrowsersDo(String san, String wanted, boolean matches) {
        ServerTrust trust = new ServerTrust(testCa, wanted, List.of());

        assertThat(refusal(trust, pki.server(san)))
                .isEqualTo(matches ? null : CertificateRejectedException.Kind.WRONG_NAME);
    }

    @ParameterizedTest(name = "{0} for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            *.example.test      | dns.example.test | true
            *.example.test      | example.test     | false
            *.example.test      | a.b.example.test | false
            *.test              | dns.test         | false
            dns.test.           | dns.test         | true
            d*.example.test     | dns.example.test | false
            """)
    void wildcard_onlyAsTheWholeLeftmostLabel(String pattern, String name, boolean matches) {
        assertThat(HostnameMatcher.dnsMatch(pattern, name)).isEqualTo(matches);
    }

    @Test
    void unknownCa_refusedAsUntrusted_withWhatWasPresented() {
        ServerTrust trust = new ServerTrust(testCa, "dns.test", List.of());

        assertThatThrownBy(() -> trust.checkServerTrusted(chain(pki.untrustedServer("dns.test")), "ECDHE_ECDSA"))
                .isInstanceOfSatisfying(CertificateRejectedException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertificateRejectedException.Kind.UNTRUSTED))
                .hasMessageContaining("CN=dns.test [DNS:dns.test]").hasMessageContaining("issued by CN=other CA");
    }

    @Test
    void pins_anyCertificateOfTheChainMatches_otherwiseRefused() {
        X509Bundle server = pki.server("dns.test");
        String leafPin = ServerTrust.spkiSha256(server.getCertificate());
        String caPin = ServerTrust.spkiSha256(pki.ca().getCertificate());
        String otherPin = ServerTrust.spkiSha256(pki.server("dns.test").getCertificate());

        assertThat(refusal(new ServerTrust(testCa, "dns.test", List.of(otherPin, leafPin)), server)).isNull();
        assertThat(refusal(new ServerTrust(testCa, "dns.test", List.of(otherPin)), server))
                .isEqualTo(CertificateRejectedException.Kind.WRONG_PIN);
        X509Certificate[] withCa = server.getCertificatePathWithRoot();
        assertThatCode(() -> new ServerTrust(testCa, "dns.test", List.of(caPin)).checkServerTrusted(withCa, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
    }

    @Test
    void systemTrustStore_loadsAndRefusesTheTestCa() throws Exception {
        X509TrustManager system = TrustStores.system();

        assertThat(system.getAcceptedIssuers()).hasSizeGreaterThan(10);
        assertThat(refusal(new ServerTrust(system, "dns.test", List.of()), pki.server("dns.test")))
                .isEqualTo(CertificateRejectedException.Kind.UNTRUSTED);
    }

    @Test
    void badPin_rejectedWhenConfigured() {
        assertThatThrownBy(() -> new TlsOptions(null, List.of("not-base64!"), null))
                .hasMessageContaining("pin-sha256 'not-base64!' is not base64");
        assertThatThrownBy(() -> new TlsOptions(null, List.of("AAAA"), null))
                .hasMessageContaining("pin-sha256 'AAAA' is 3 bytes, not a SHA-256");
    }

    @Test
    void sni_replacesTheHostAsTheCertificateName() {
        assertThat(new TlsOptions(null, List.of(), "dns.example.net").nameFor("192.0.2.53")).isEqualTo("dns.example.net");
        assertThat(TlsOptions.DEFAULT.nameFor("dns.google")).isEqualTo("dns.google");
    }
}
