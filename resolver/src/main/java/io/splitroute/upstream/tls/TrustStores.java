package io.splitroute.upstream.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs certificates are checked against: the operating system's bundle (what {@code update-ca-certificates}
 * maintains) where there is one, else the JDK's; or the CAs of a PEM file.
 */
public final class TrustStores {

    /** Where Debian, Ubuntu, Alpine, OpenWrt (and Fedora, RHEL) keep the system's CA bundle. */
    static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"));

    private static volatile X509TrustManager system;

    private TrustStores() {}

    /** The system's trust manager, read once. */
    public static X509TrustManager system() throws IOException, GeneralSecurityException {
        X509TrustManager tm = system;
        if (tm == null) {
            Path bundle = SYSTEM_BUNDLES.stream().filter(Files::isReadable).findFirst().orElse(null);
            tm = bundle != null ? fromPem(bundle) : of(null);
            system = tm;
        }
        return tm;
    }

    /**
     * A trust manager trusting exactly the certificates of the PEM file {@code file}.
     *
     * @throws IOException if it cannot be read or holds no certificate (the message names the file)
     */
    public static X509TrustManager fromPem(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return of(store);
    }

    private static X509TrustManager of(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
