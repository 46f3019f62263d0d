package io.splitroute.config;

/**
 * The admin HTTP listener: {@code admin: { listen: "127.0.0.1:9153" }}, or {@code admin: off}.
 *
 * @param listen   where it listens, or {@code null} when off
 * @param explicit whether the config named the address (then failing to bind it stops start-up; the default
 *                 address, when taken, only costs a warning)
 */
public record AdminConfig(ListenAddress listen, boolean explicit) {
    /** The default: 127.0.0.1:9153, not named in the config. */
    public static final AdminConfig DEFAULT = new AdminConfig(ListenAddress.parse("127.0.0.1:9153"), false);
    /** No admin listener. */
    public static final AdminConfig OFF = new AdminConfig(null, true);
    /** {@code admin: on}, or a mapping without {@code listen}: the default address, named. */
    public static final AdminConfig ON = new AdminConfig(DEFAULT.listen(), true);
}
