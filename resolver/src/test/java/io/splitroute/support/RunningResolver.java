package io.splitroute.support;

import io.splitroute.app.Lifecycle;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.query.Ticker;
import io.splitroute.sink.SetWriter;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** splitroute running in-process on a free loopback port, from YAML text, for behaviour tests. */
public final class RunningResolver implements AutoCloseable {
    private final Lifecycle lifecycle;
    private final InetSocketAddress address;

    private RunningResolver(Lifecycle lifecycle, InetSocketAddress address) {
        this.lifecycle = lifecycle;
        this.address = address;
    }

    /**
     * Starts splitroute with {@code yaml}, in which {@code ${listen}} is replaced by a free loopback address
     * (for example {@code listen: ["${listen}"]}).
     */
    public static RunningResolver start(String yaml) throws Exception {
        return start(yaml, null);
    }

    /** Starts splitroute on a config file (reloads re-read it), listening on {@code port}. */
    public static RunningResolver startFile(Path file, int port) throws Exception {
        SplitrouteConfig config = ConfigLoader.load(file);
        Lifecycle lifecycle = new Lifecycle(config, file, false);
        lifecycle.start();
        return new RunningResolver(lifecycle, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Like {@link #start(String)}, writing kernel sets through {@code setWriter} (null: as configured). */
    public static RunningResolver start(String yaml, SetWriter setWriter) throws Exception {
        return start(yaml, setWriter, null);
    }

    /**
     * Like {@link #start(String, SetWriter)}, with {@code ticker} as the clock of the query path (null: the
     * system's), so a test advances cache lifetimes instead of sleeping.
     */
    public static RunningResolver start(String yaml, SetWriter setWriter, Ticker ticker) throws Exception {
        int port = freePort();
        String text = yaml.replace("${listen}", "127.0.0.1:" + port);
        SplitrouteConfig config = ConfigLoader.parse(text, "test.yaml", Path.of("."));
        Lifecycle lifecycle = new Lifecycle(config);
        if (setWriter != null) {
            lifecycle.withSetWriter(setWriter);
        }
        if (ticker != null) {
            lifecycle.withTicker(ticker);
        }
        lifecycle.start();
        return new RunningResolver(lifecycle, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Returns a client for this server. */
    public DnsClient client() {
        return new DnsClient(address);
    }

    /** Returns the server's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** Returns the running lifecycle. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public void close() {
        lifecycle.stop();
    }

    /** Returns a loopback port free for both UDP and TCP right now. */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no free loopback port for UDP and TCP");
    }
}
