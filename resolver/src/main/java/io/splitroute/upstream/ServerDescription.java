package io.splitroute.upstream;

import io.splitroute.upstream.tls.TlsOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One server as {@code splitroute check} and the start-up log show it: its URI, then in brackets how its
 * sockets are bound and, for tls:// and https://, the name its certificate must carry and what it is checked
 * against: {@code tls://dns.google:853@8.8.8.8 [interface wg0, mark 0xca6c, TLS name dns.google]}.
 */
final class ServerDescription {

    private ServerDescription() {}

    /**
     * @param uri          the server's URI (or, for {@code system}, the word)
     * @param ownInterface whether the URI names the interface itself ({@code @IFACE}), so it is not repeated
     * @param binding      its sockets' interface and mark, the server's own {@code @IFACE} included
     * @param tlsName      the certificate name (tls, https), else {@code null}
     * @param tls          the TLS options (tls, https), else {@code null}
     * @param bootstrap    the servers that look its address up, or empty when it has one
     */
    static String of(String uri, boolean ownInterface, SocketBinding binding, String tlsName, TlsOptions tls,
                     List<String> bootstrap) {
        List<String> parts = new ArrayList<>();
        if (binding.iface() != null && !ownInterface) {
            parts.add("interface " + binding.iface());
        }
        if (binding.mark() != null) {
            parts.add("mark 0x" + Long.toHexString(binding.mark()));
        }
        if (tlsName != null) {
            parts.add("TLS name " + tlsName);
            if (tls.caFile() != null) {
                parts.add("CAs " + tls.caFile());
            }
            if (!tls.pinSha256().isEmpty()) {
                parts.add(tls.pinSha256().size() == 1 ? "1 pin" : tls.pinSha256().size() + " pins");
            }
        }
        if (!bootstrap.isEmpty()) {
            parts.add("address from " + String.join(" ", bootstrap));
        }
        return parts.isEmpty() ? uri : uri + " [" + String.join(", ", parts) + "]";
    }
}
