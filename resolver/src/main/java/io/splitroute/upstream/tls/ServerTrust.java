package io.splitroute.upstream.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether one server's certificate chain is acceptable, in three steps, each with its own
 * {@link CertificateRejectedException.Kind}: the chain leads to a trusted CA, the leaf is for the expected
 * name, and (with pins) some certificate of the chain has a pinned public key. Client side only.
 */
public final class ServerTrust extends X509ExtendedTrustManager {

    private final X509TrustManager cas;
    private final String name;
    private final List<byte[]> pins;

    /**
     * Trust for a server that must present a certificate for {@code name}.
     *
     * @param cas  the CAs (see {@link TrustStores})
     * @param name the expected host name or IP address
     * @param pins base64 SHA-256 SPKI hashes; empty for none
     */
    public ServerTrust(X509TrustManager cas, String name, List<String> pins) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.name = Objects.requireNonNull(name, "name");
        this.pins = pins.stream().map(TlsOptions::pinBytes).toList();
    }

    /** The base64 SHA-256 of {@code certificate}'s SubjectPublicKeyInfo, as {@code pin-sha256} takes it. */
    public static String spkiSha256(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(sha256(certificate.getPublicKey().getEncoded()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateRejectedException(CertificateRejectedException.Kind.UNTRUSTED,
                    "the server presented no certificate", null);
        }
        try {
            cas.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new CertificateRejectedException(CertificateRejectedException.Kind.UNTRUSTED,
                    "certificate not trusted (" + rootCause(e) + "); presented " + describe(chain), e);
        }
        if (!HostnameMatcher.matches(chain[0], name)) {
            throw new CertificateRejectedException(CertificateRejectedException.Kind.WRONG_NAME,
                    "certificate is not for " + name + "; presented " + describe(chain), null);
        }
        if (!pins.isEmpty() && Arrays.stream(chain).noneMatch(this::pinned)) {
            throw new CertificateRejectedException(CertificateRejectedException.Kind.WRONG_PIN,
                    "no certificate matches pin-sha256; presented " + describe(chain), null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return cas.getAcceptedIssuers();
    }

    private boolean pinned(X509Certificate certificate) {
        byte[] hash = sha256(certificate.getPublicKey().getEncoded());
        return pins.stream().anyMatch(pin -> MessageDigest.isEqual(pin, hash));
    }

    /** {@code CN=leaf [DNS:a, IP:b] pin-sha256 X issued by CN=ca}, then the rest of the chain's subjects. */
    static String describe(X509Certificate[] chain) {
        X509Certificate leaf = chain[0];
        List<String> parts = new ArrayList<>();
        parts.add(leaf.getSubjectX500Principal().getName() + " " + HostnameMatcher.describe(leaf)
                + " pin-sha256 " + spkiSha256(leaf) + " issued by " + leaf.getIssuerX500Principal().getName());
        for (int i = 1; i < chain.length; i++) {
            parts.add("then " + chain[i].getSubjectX500Principal().getName() + " pin-sha256 " + spkiSha256(chain[i]));
        }
        return String.join(", ", parts);
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
