package io.splitroute.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where an upstream's sockets may send: bound to one interface ({@code SO_BINDTODEVICE}), marked for policy
 * routing ({@code SO_MARK}), both, or neither. A bound socket never leaves by another interface: with the
 * interface down or gone, sending fails at once instead of taking the default route.
 *
 * <p>The options are set on each socket before it connects or sends, through Netty's native epoll transport
 * (the only one that can set them); {@link #apply} refuses other channels rather than send unbound.
 *
 * @param iface the interface name, or {@code null}
 * @param mark  the packet mark (0 to 0xFFFFFFFF), or {@code null}
 */
public record SocketBinding(String iface, Long mark) {

    /** No binding: sockets follow the routing table. */
    public static final SocketBinding NONE = new SocketBinding(null, null);

    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:+-]{1,15}");
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SO_MARK = 36;
    private static final int IFNAMSIZ = 16;
    private static final ChannelOption<Integer> MARK_OPTION = new IntegerUnixChannelOption("SO_MARK", SOL_SOCKET, SO_MARK);
    private static final ChannelOption<ByteBuffer> DEVICE_OPTION =
            new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ);

    /** The option value per interface name (NUL-padded to IFNAMSIZ), made once: UDP sets it on every query. */
    private static final Map<String, ByteBuffer> DEVICE_NAMES = new ConcurrentHashMap<>();

    /** Checks the interface name (1 to 15 characters) and the mark's range. */
    public SocketBinding {
        if (iface != null && (!INTERFACE.matcher(iface).matches() || iface.equals(".") || iface.equals(".."))) {
            throw new IllegalArgumentException("interface '" + iface + "' is not an interface name (1 to 15 letters,"
                    + " digits or . _ - : +)");
        }
        if (mark != null && (mark < 0 || mark > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("mark " + mark + " is out of range 0..0xffffffff");
        }
    }

    /** Whether sockets are bound or marked: their packets cannot simply take the default route. */
    public boolean isBound() {
        return iface != null || mark != null;
    }

    /** This binding with {@code name} as its interface when {@code name} is not null (a server's own @IFACE). */
    public SocketBinding withInterface(String name) {
        return name == null ? this : new SocketBinding(name, mark);
    }

    /**
     * Sets the options on {@code channel}, a socket not yet connected or bound.
     *
     * @throws ChannelException naming the option and the kernel's reason (no such device, not permitted), or
     *     saying that the channel's transport cannot set it
     */
    public void apply(Channel channel) {
        if (mark != null) {
            set(channel, MARK_OPTION, (int) mark.longValue(), "mark 0x" + Long.toHexString(mark)
                    + " (SO_MARK needs CAP_NET_ADMIN)");
        }
        if (iface != null) {
            set(channel, DEVICE_OPTION, DEVICE_NAMES.computeIfAbsent(iface, SocketBinding::deviceName).duplicate(),
                    "interface " + iface);
        }
    }

    /**
     * Why a query must not be sent now, or {@code null}: the bound interface is down, has no carrier, or
     * does not exist. Read from the kernel on each call (one ioctl), in the calling thread's network namespace.
     */
    public String unavailable() {
        return iface == null ? null : InterfaceState.problem(iface);
    }

    private static ByteBuffer deviceName(String iface) {
        ByteBuffer name = ByteBuffer.allocateDirect(IFNAMSIZ);
        name.put(iface.getBytes(StandardCharsets.US_ASCII)).clear();
        return name.asReadOnlyBuffer();
    }

    private static <T> void set(Channel channel, ChannelOption<T> option, T value, String what) {
        boolean supported;
        try {
            supported = channel.config().setOption(option, value);
        } catch (ChannelException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ChannelException("cannot set " + what + ": " + cause.getMessage(), e);
        }
        if (!supported) {
            throw new ChannelException("cannot set " + what + ": the " + channel.getClass().getSimpleName()
                    + " transport cannot; binding needs native epoll");
        }
    }

    /** {@code interface wg0 mark 0xca6c}, {@code interface wg0}, {@code unbound}. */
    @Override
    public String toString() {
        if (!isBound()) {
            return "unbound";
        }
        String text = iface == null ? "" : "interface " + iface;
        return mark == null ? text : (text.isEmpty() ? "" : text + " ") + "mark 0x" + Long.toHexString(mark);
    }
}
