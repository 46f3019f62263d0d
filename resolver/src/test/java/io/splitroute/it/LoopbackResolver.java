package io.splitroute.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * Asks one DNS server on 127.0.0.1 with dnsjava's {@link SimpleResolver} (UDP, over TCP when the
 * reply is truncated): the programmatic client of these tests, where {@code dig} is the external one.
 */
public final class LoopbackResolver {

    private final SimpleResolver resolver;

    /** Creates a UDP client for the server on 127.0.0.1:{@code port}, waiting {@code timeout} per query. */
    public LoopbackResolver(int port, Duration timeout) {
        this(port, timeout, false);
    }

    /** Creates a client for 127.0.0.1:{@code port} that asks over TCP only if {@code tcp}. */
    public LoopbackResolver(int port, Duration timeout, boolean tcp) {
        resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        resolver.setTimeout(timeout);
        resolver.setTCP(tcp);
    }

    /** Adds an EDNS0 OPT record advertising {@code payloadSize} to every query from now on; returns this. */
    public LoopbackResolver withEdns(int payloadSize) {
        resolver.setEDNS(0, payloadSize, 0, List.of());
        return this;
    }

    /**
     * Sends one query for {@code name} (absolute or not) and {@code type} (a {@link org.xbill.DNS.Type}).
     *
     * @throws IOException on timeout or a network error
     */
    public Message ask(String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(absolute(name), type, DClass.IN)));
    }

    /**
     * Waits until the server answers anything at all for {@code name}, polling every 50 ms.
     *
     * @throws IllegalStateException with the process's output if it exits or stays silent past {@code timeout}
     */
    public static void awaitFirstAnswer(ChildProcess server, int port, String name, int type, Duration timeout) {
        LoopbackResolver probe = new LoopbackResolver(port, Duration.ofMillis(500));
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited before answering:\n" + server.describe());
            }
            try {
                probe.ask(name, type);
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(50));
            }
        }
        throw new IllegalStateException("no answer on 127.0.0.1:" + port + " within " + timeout + ":\n"
                + server.describe());
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: '" + name + "'", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server", e);
        }
    }
}
