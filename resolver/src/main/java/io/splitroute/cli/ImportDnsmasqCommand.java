package io.splitroute.cli;

import io.splitroute.migrate.DnsmasqImport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code splitroute import-dnsmasq FILE...}: prints the splitroute YAML equivalent to a dnsmasq setup. */
@Command(name = "import-dnsmasq", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = {
            "Print a splitroute config equivalent to a dnsmasq setup.",
            "Reads dnsmasq config files (the main config, gfwlist2dnsmasq output, the china list, ipset=/nftset= "
                + "files) and prints YAML: listen-address/port, server=, cache-size, and one list + route per "
                + "file with domain rules, with its upstream and sets. Anything without an equivalent is listed "
                + "in comments at the end.",
            "Example:  splitroute import-dnsmasq /etc/dnsmasq.conf /etc/dnsmasq.d/*.conf > /etc/splitroute/splitroute.yaml"})
public final class ImportDnsmasqCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "dnsmasq config files, in the order dnsmasq reads them.")
    List<Path> files;

    @Override
    public Integer call() {
        try {
            System.out.print(DnsmasqImport.convert(files));
            return 0;
        } catch (IOException e) {
            System.err.println("splitroute: cannot read " + e.getMessage());
            return 2;
        }
    }
}
