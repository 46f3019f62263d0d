package io.splitroute.unlisted;

import io.splitroute.query.AaaaPolicy;
import java.util.List;
import java.util.Objects;

/**
 * The {@code unlisted:} block: how names no route matches are answered when the config has one (it replaces
 * {@code default-upstream}).
 *
 * @param domestic     the upstream group asked for the domestic answer
 * @param trusted      the upstream group asked for the trusted answer (reached through the tunnel)
 * @param domesticIps  names of {@code ip-lists:} entries whose networks make an address domestic
 * @param poisonIps    names of {@code ip-lists:} entries of known poison addresses: a domestic answer holding
 *                     one is never served (empty: none)
 * @param sets         names of {@code sets:} entries the trusted answer's addresses are written to
 * @param aaaa         what is done with IPv6 addresses in the answers of these names
 * @param verdictCache how many names' verdicts are remembered at most
 * @param line         the line of the block in the config file
 */
public record UnlistedConfig(String domestic, String trusted, List<String> domesticIps, List<String> poisonIps,
                             List<String> sets, AaaaPolicy aaaa, int verdictCache, int line) {
    /** The default {@code verdict-cache}: names remembered (about 170 bytes of heap each). */
    public static final int DEFAULT_VERDICT_CACHE = 10_000;

    /** Checks and copies the arguments; messages carry the values. */
    public UnlistedConfig {
        Objects.requireNonNull(domestic, "domestic");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(aaaa, "aaaa");
        if (domestic.equals(trusted)) {
            throw new IllegalArgumentException("domestic and trusted are both '" + domestic
                    + "': the trusted answer must come from another group (the one through the tunnel)");
        }
        if (domesticIps.isEmpty()) {
            throw new IllegalArgumentException("domestic-ips is empty: name the IP lists (ip-lists:) that make an"
                    + " answer domestic, e.g. [chnroute]");
        }
        if (verdictCache < 0) {
            throw new IllegalArgumentException("verdict-cache " + verdictCache + " is negative");
        }
        domesticIps = List.copyOf(domesticIps);
        poisonIps = List.copyOf(poisonIps);
        sets = List.copyOf(sets);
    }
}
