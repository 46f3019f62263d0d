package io.splitroute.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The admin HTTP listener: {@code admin: { listen: "127.0.0.1:9153", allow: [CIDR...], token-file: FILE,
 * names: [NAME...] }}, or {@code admin: off}.
 *
 * @param listen    where it listens, or {@code null} when off
 * @param explicit  whether the config named the address (then failing to bind it stops start-up; the default
 *                  address, when taken, only costs a warning)
 * @param allow     the client networks served (a connection from elsewhere is closed at accept), or
 *                  {@code null} for any; required, and not empty, when {@code listen} is off loopback
 * @param tokenFile a file holding the bearer token every request must carry, or {@code null} for none
 * @param names     host names accepted in the {@code Host} header besides the listen address, {@code localhost}
 *                  and the loopback addresses (a router's DNS name, such as {@code router.lan})
 */
public record AdminConfig(ListenAddress listen, boolean explicit, List<String> allow, Path tokenFile,
                          List<String> names) {
    /** The default: 127.0.0.1:9153, not named in the config. */
    public static final AdminConfig DEFAULT = new AdminConfig(ListenAddress.parse("127.0.0.1:9153"), false, null,
            null, List.of());
    /** No admin listener. */
    public static final AdminConfig OFF = new AdminConfig(null, true, null, null, List.of());
    /** {@code admin: on}: the default address, named. */
    public static final AdminConfig ON = new AdminConfig(DEFAULT.listen(), true, null, null, List.of());

    /** Checks that a listener off loopback says who may reach it. */
    public AdminConfig {
        allow = allow == null ? null : List.copyOf(allow);
        names = List.copyOf(names);
        if (listen != null && !listen.address().isLoopbackAddress()) {
            if (allow == null) {
                throw new IllegalArgumentException("listen " + listen + " is off loopback: name the networks allowed "
                        + "to reach it, such as allow: [\"192.168.1.0/24\"] (and set a token-file), or listen on "
                        + "127.0.0.1");
            }
            if (allow.isEmpty()) {
                throw new IllegalArgumentException("allow is empty: name at least one network");
            }
        }
    }

    /** Returns whether the listener is off loopback. */
    public boolean offLoopback() {
        return listen != null && !listen.address().isLoopbackAddress();
    }
}
