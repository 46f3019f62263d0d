package io.splitroute.cli;

import io.splitroute.upstream.SystemResolvers;
import io.splitroute.upstream.UpstreamAddress;
import io.splitroute.upstream.UpstreamFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Shows a group's {@code system} entry as the servers it stands for: the nameservers of resolv.conf. */
final class SystemServers {
    private SystemServers() {}

    /**
     * Returns {@code servers} with each {@code system} replaced by the resolv.conf nameservers it stands for,
     * as {@code udp://IP:53}, or by {@code system (why none)} when the file names none or cannot be read.
     */
    static List<String> expand(List<String> servers, Path resolvConf) {
        List<String> shown = new ArrayList<>(servers.size());
        for (String server : servers) {
            if (!server.strip().toLowerCase(Locale.ROOT).equals(UpstreamFactory.SYSTEM)) {
                shown.add(server);
                continue;
            }
            try {
                List<UpstreamAddress> read = SystemResolvers.read(resolvConf);
                if (read.isEmpty()) {
                    shown.add("system (" + resolvConf + " names no nameserver)");
                }
                read.forEach(address -> shown.add(address.uri()));
            } catch (IOException e) {
                shown.add("system (cannot read " + resolvConf + ": " + e.getMessage() + ")");
            }
        }
        return shown;
    }
}
