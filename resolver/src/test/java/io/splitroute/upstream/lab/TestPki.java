package io.splitroute.upstream.lab;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Certificates made by the tests: a test CA and server certificates it issues (and a second, untrusted CA),
 * so that nothing depends on the system's trust store or on files in the repository.
 */
public final class TestPki {

    private final X509Bundle ca;
    private final X509Bundle otherCa;

    private TestPki(X509Bundle ca, X509Bundle otherCa) {
        this.ca = ca;
        this.otherCa = otherCa;
    }

    /** A new CA ("CN=splitroute test CA") and an unrelated one ("CN=other CA"). */
    public static TestPki create() {
        try {
            return new TestPki(caBuilder("CN=splitroute test CA").buildSelfSigned(),
                    caBuilder("CN=other CA").buildSelfSigned());
        } catch (Exception e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private static CertificateBuilder caBuilder(String subject) {
        return new CertificateBuilder().subject(subject).ecp256().setIsCertificateAuthority(true)
                .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign)
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(30, ChronoUnit.DAYS));
    }

    /** A server certificate for {@code dnsNames} (and the given IP SANs: names containing ':' or all digits). */
    public X509Bundle server(String... names) {
        return issue(ca, names);
    }

    /** A server certificate for {@code names} issued by the untrusted CA. */
    public X509Bundle untrustedServer(String... names) {
        return issue(otherCa, names);
    }

    /** The test CA. */
    public X509Bundle ca() {
        return ca;
    }

    /** Writes the test CA's certificate as PEM into {@code dir}, for {@code ca-file}. */
    public Path writeCaFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("test-ca.pem"), ca.getCertificatePEM());
    }

    private static X509Bundle issue(X509Bundle issuer, String... names) {
        CertificateBuilder builder = new CertificateBuilder().subject("CN=" + names[0]).ecp256()
                .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                .addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(30, ChronoUnit.DAYS));
        for (String name : names) {
            if (name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                builder.addSanIpAddress(name);
            } else {
                builder.addSanDnsName(name);
            }
        }
        try {
            return builder.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + String.join(", ", names), e);
        }
    }
}
