package io.splitroute.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * dnsmasq (Debian {@code dnsmasq-base}) as a plain caching forwarder on 127.0.0.1:port, reading no
 * system file ({@code /etc/dnsmasq.conf}, resolv.conf, hosts), in the foreground.
 */
public final class DnsmasqServer implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private DnsmasqServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts dnsmasq on a free loopback port with {@code options} added (e.g.
     * {@code --server=127.0.0.1#5399}, {@code --cache-size=20000}) and waits until it answers
     * {@code probeName}.
     *
     * @throws IOException if dnsmasq cannot be started
     * @throws IllegalStateException if dnsmasq is not installed, exits, or does not answer within 10 s
     */
    public static DnsmasqServer start(Path dir, List<String> options, String probeName) throws IOException {
        Path dnsmasq = Executables.find("dnsmasq")
                .orElseThrow(() -> new IllegalStateException("dnsmasq not installed (apt-get install dnsmasq-base)"));
        Files.createDirectories(dir);
        int port = LoopbackPorts.freePort();
        List<String> command = new ArrayList<>(List.of(dnsmasq.toString(),
                "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--pid-file=", "--user=" + System.getProperty("user.name"),
                "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port));
        command.addAll(options);
        ChildProcess process = ChildProcess.start("dnsmasq", command, dir.resolve("dnsmasq.log"));
        try {
            LoopbackResolver.awaitFirstAnswer(process, port, probeName, Type.A, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new DnsmasqServer(process, port);
    }

    /** Returns the loopback port dnsmasq answers on (UDP and TCP). */
    public int port() {
        return port;
    }

    /** Stops dnsmasq. */
    @Override
    public void close() {
        process.close();
    }
}
