package io.splitroute.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the system's nameservers from a resolv.conf file, for the {@code system} upstream.
 *
 * <p>Only {@code nameserver ADDRESS} lines count (IPv4, IPv6, IPv6 with {@code %scope}); comments ({@code #}
 * or {@code ;}), blank lines and other keywords ({@code search}, {@code options}, ...) are ignored. A
 * nameserver that is not an IP literal is skipped with a warning carrying the file and line number. Each
 * nameserver becomes a UDP upstream on port 53, in file order.
 */
public final class SystemResolvers {

    /** The file the C library reads, and the default for {@link UpstreamOptions#resolvConf()}. */
    public static final Path DEFAULT_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private static final Logger LOG = LoggerFactory.getLogger(SystemResolvers.class);

    private SystemResolvers() {}

    /**
     * Returns the nameservers of {@code resolvConf} as UDP upstreams on port 53, in file order.
     *
     * @return the servers; empty if the file names none (the caller decides what that means)
     * @throws IOException if the file cannot be read
     */
    public static List<UpstreamAddress> read(Path resolvConf) throws IOException {
        List<String> lines = Files.readAllLines(resolvConf, StandardCharsets.UTF_8);
        List<UpstreamAddress> servers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            String[] words = line.split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) {
                continue;
            }
            try {
                InetAddress ip = InetAddress.ofLiteral(words[1]);
                servers.add(new UpstreamAddress(UpstreamAddress.Protocol.UDP,
                        new InetSocketAddress(ip, UpstreamAddress.DEFAULT_PORT)));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: nameserver '{}' is not an IP address (or its %scope is no interface here),"
                        + " skipped", resolvConf, i + 1, words[1]);
            }
        }
        return List.copyOf(servers);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        int semi = line.indexOf(';');
        int cut = hash < 0 ? semi : semi < 0 ? hash : Math.min(hash, semi);
        return cut < 0 ? line : line.substring(0, cut);
    }
}
