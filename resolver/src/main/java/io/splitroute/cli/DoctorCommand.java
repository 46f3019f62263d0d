package io.splitroute.cli;

import io.splitroute.doctor.Doctor;
import io.splitroute.doctor.DoctorReport;
import io.splitroute.doctor.RoutingSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitroute doctor}: checks the whole chain on this machine, one line per check. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {
    "Check the whole chain on this machine, one line per check with what to do when it fails.",
    "Config; lists (read, fresh); the running server on each listen address and its /healthz; each kernel "
        + "set (exists, family, type, timeouts); the firewall rule that marks packets to each set; the ip rule "
        + "for the mark and the tunnel's route table; each upstream server (a real query); the tunnel (up, "
        + "and for WireGuard a recent handshake); and each NAME asked through the running server: its "
        + "addresses in the route's sets, and 'ip route get ADDRESS mark MARK' leaving through the tunnel. "
        + "Without NAME: a few names from each route's domains and lists.",
    "The tunnel, mark and table are the routing scripts' settings, WG_IF, MARK and TABLE in "
        + "/etc/default/splitroute (their defaults wg0, 0xca6c, 51820 where it sets none); the flags override "
        + "them. Run as root: reading sets and firewall rules needs it.",
    "Exit status: 0 when every check passed, 1 when one did not, 2 when the config cannot be used."})
public final class DoctorCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML config (default: /etc/splitroute/splitroute.yaml if it exists, else the embedded one).")
    Path config;

    @Option(names = "--json", description = "One JSON object with every check, for scripts.")
    boolean json;

    @Option(names = "--routing-settings", paramLabel = "FILE",
            description = "The routing scripts' settings (default: /etc/default/splitroute).")
    Path settings = RoutingSettings.DEFAULT_FILE;

    @Option(names = "--tunnel", paramLabel = "IF", description = "The tunnel interface (default: WG_IF of the settings, or wg0).")
    String tunnel;

    @Option(names = "--mark", paramLabel = "MARK", description = "The mark bits (default: MARK of the settings, or 0xca6c).")
    String mark;

    @Option(names = "--table", paramLabel = "TABLE", description = "The tunnel's route table (default: TABLE of the settings, or 51820).")
    String table;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Names to check end to end, e.g. www.google.com")
    List<String> names = List.of();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Doctor.Options options = new Doctor.Options(config, settings, tunnel, mark, table, names);
        DoctorReport report = Doctor.run(options, json ? finding -> { } : finding -> {
            out.println(finding.line());
            out.flush();
        });
        if (json) {
            out.println(report.json());
        } else {
            out.println(report.summary());
        }
        return report.exitStatus();
    }
}
