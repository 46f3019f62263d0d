package io.splitroute.unlisted;

import io.splitroute.upstream.Upstream;
import java.util.Objects;

/**
 * What the {@code unlisted:} block compiles to for one routing snapshot, hung on the route of names no rule
 * matches ({@link UnlistedStage#PLAN}): the two running upstream groups, the IP lists answers are judged by,
 * and the verdict cache (the server's one, which outlives the snapshot).
 *
 * @param domesticName the domestic group's name
 * @param domestic     the domestic group
 * @param trustedName  the trusted group's name
 * @param trusted      the trusted group
 * @param domesticIps  the {@code domestic-ips} lists
 * @param poisonIps    the {@code poison-ips} lists
 * @param verdicts     the verdict cache
 * @param minTtl       the shortest a verdict is remembered, in seconds (the cache's {@code min-ttl})
 * @param maxTtl       the longest, in seconds (the cache's {@code max-ttl})
 */
public record UnlistedPlan(String domesticName, Upstream domestic, String trustedName, Upstream trusted,
                           IpListSet domesticIps, IpListSet poisonIps, VerdictCache verdicts, long minTtl,
                           long maxTtl) {
    /** Checks the arguments. */
    public UnlistedPlan {
        Objects.requireNonNull(domestic, "domestic");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(domesticIps, "domesticIps");
        Objects.requireNonNull(poisonIps, "poisonIps");
        Objects.requireNonNull(verdicts, "verdicts");
    }
}
