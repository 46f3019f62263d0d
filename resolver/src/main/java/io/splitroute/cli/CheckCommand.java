package io.splitroute.cli;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.match.DomainNames;
import io.splitroute.routing.Explanation;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.upstream.SystemResolvers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitroute check NAME...}: explains how names are routed, from the config and lists alone. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {
    "Explain how names are routed.",
    "Prints for each NAME the route, the rule that matched and where it was read (list, file, line), "
        + "and the upstream group and its servers ('system': the nameservers of /etc/resolv.conf). Reads the "
        + "config and its lists only; sends no query. Lists with dropped lines are reported on stderr, with "
        + "the first lines and why."})
public final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The YAML config (default: the embedded one).")
    Path config;

    @Option(names = "--json", description = "One JSON object per line, for scripts.")
    boolean json;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Domain names, e.g. www.google.com")
    List<String> names;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SplitrouteConfig loaded = ConfigFile.load(config);
        if (loaded == null) {
            return ConfigFile.BAD_CONFIG;
        }
        RouteLists lists = RouteLists.load(loaded);
        lists.failures().forEach(f -> System.err.println("warning: list " + f));
        lists.lists().values().stream().filter(ListReport::worthReporting)
                .forEach(list -> ListReport.print(list, System.err));
        Routing routing = Routing.compile(loaded, lists.rules());
        int status = 0;
        for (String raw : names) {
            String name;
            try {
                name = DomainNames.normalize(raw);
            } catch (IllegalArgumentException e) {
                System.err.println(raw + ": not a domain name: " + e.getMessage());
                status = 1;
                continue;
            }
            Explanation explanation = withSystemServers(Explanation.of(name, routing));
            out.print(json ? explanation.toJson() + "\n" : explanation.toText());
        }
        return status;
    }

    private static Explanation withSystemServers(Explanation e) {
        return new Explanation(e.name(), e.route(), e.rule(), e.upstream(),
                SystemServers.expand(e.servers(), SystemResolvers.DEFAULT_RESOLV_CONF), e.sets(), e.aaaa());
    }
}
