package io.splitroute.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Receives on the UDP socket of one upstream query: datagrams from any address or port but the server's are
 * dropped unread; the rest go to the {@link PendingReply} for the ID and question check.
 */
final class UdpReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final PendingReply pending;
    private final InetSocketAddress server;

    UdpReplyHandler(PendingReply pending, InetSocketAddress server) {
        this.pending = pending;
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (sameEndpoint(packet.sender(), server)) {
            pending.offer(packet.content());
        } else {
            pending.dropForeign();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        pending.fail(new UpstreamException(UpstreamException.Reason.UNREACHABLE, pending.upstream(),
                "UDP socket error: " + cause, cause));
    }

    /** Same port and same IP, an IPv4-mapped IPv6 address (from a dual-stack socket) equal to its IPv4 form. */
    static boolean sameEndpoint(InetSocketAddress a, InetSocketAddress b) {
        return a != null && a.getPort() == b.getPort()
                && Arrays.equals(plain(a.getAddress()), plain(b.getAddress()));
    }

    private static byte[] plain(InetAddress ip) {
        byte[] bytes = ip == null ? new byte[0] : ip.getAddress();
        if (ip instanceof Inet6Address && isMappedV4(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
