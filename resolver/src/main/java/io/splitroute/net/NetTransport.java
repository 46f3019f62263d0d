package io.splitroute.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport in use: native epoll where it loads, NIO otherwise. One instance is shared by the
 * listeners and the upstream clients, so they run on the same event loops.
 *
 * @param name           {@code "epoll"} or {@code "nio"}, for the start-up log
 * @param group          the event loops
 * @param datagram       the UDP channel class
 * @param socket         the TCP client channel class
 * @param serverSocket   the TCP server channel class
 */
public record NetTransport(
        String name,
        EventLoopGroup group,
        Class<? extends DatagramChannel> datagram,
        Class<? extends SocketChannel> socket,
        Class<? extends ServerChannel> serverSocket) implements AutoCloseable {

    /** Creates the best transport this machine supports, with {@code threads} event loops (0: Netty's default). */
    public static NetTransport create(int threads) {
        return Epoll.isAvailable() ? epoll(threads) : nio(threads);
    }

    /** Creates a NIO transport (portable; used where epoll does not load). */
    public static NetTransport nio(int threads) {
        return new NetTransport("nio", group(threads, NioIoHandler.newFactory()),
                NioDatagramChannel.class, NioSocketChannel.class, NioServerSocketChannel.class);
    }

    private static NetTransport epoll(int threads) {
        return new NetTransport("epoll", group(threads, EpollIoHandler.newFactory()),
                EpollDatagramChannel.class, EpollSocketChannel.class, EpollServerSocketChannel.class);
    }

    private static EventLoopGroup group(int threads, IoHandlerFactory factory) {
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** Shuts the event loops down and waits for them. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
