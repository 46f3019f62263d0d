package io.splitroute.sets;

import io.splitroute.sink.SetException;
import io.splitroute.sink.SetWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel sets of a config, checked at start: each is probed, or created when it says {@code create:
 * true}. Every set that cannot be used is reported at once, with the text the writer gives (how to create
 * it, or that CAP_NET_ADMIN is missing).
 */
public final class RouteSets {
    private static final Logger log = LoggerFactory.getLogger(RouteSets.class);

    private RouteSets() {}

    /**
     * Probes (or creates) every configured set.
     *
     * @param sets   the sets slice of the config
     * @param source where the config was read, for the messages ({@code source:line})
     * @return one message per set that cannot be used; empty when all are ready
     */
    public static List<String> prepare(SetsConfig sets, String source, SetWriter writer) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, SetConfig> e : sets.sets().entrySet()) {
            SetConfig set = e.getValue();
            try {
                if (set.create()) {
                    writer.create(set.spec());
                }
                writer.probe(set.target());
                log.info("set {}: {} ready", e.getKey(), set.target().displayName());
            } catch (SetException ex) {
                problems.add("set " + e.getKey() + " (" + source + ":" + set.line() + "): " + ex.getMessage());
            }
        }
        return problems;
    }
}
