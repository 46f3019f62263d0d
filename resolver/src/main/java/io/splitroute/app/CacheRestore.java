package io.splitroute.app;

import io.splitroute.cache.CacheKey;
import io.splitroute.cache.CachedReply;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.AnswerAddress;
import io.splitroute.query.Route;
import io.splitroute.query.Ticker;
import io.splitroute.routing.Routing;
import io.splitroute.sets.AddressFilter;
import io.splitroute.sets.SetConfig;
import io.splitroute.sets.SetTimeouts;
import io.splitroute.sets.SetWriteStage;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.WriteResult;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;

/**
 * Puts the addresses of the answers restored from the cache file back into their routes' kernel sets, before the
 * server listens: after a reboot the sets hold what LAN clients still believe. Only answers still within their
 * lifetime are written (an expired one is no longer held by any client), each address with the timeout the set
 * stage would give it now, and all of a set's addresses in one write. The set stage's filter applies as on a cache
 * hit: nothing on a {@code never-route} network, at most {@code set-max-addresses} per answer.
 */
final class CacheRestore {
    private static final Logger log = LoggerFactory.getLogger(CacheRestore.class);
    /** How long start-up waits for the kernel to take the restored addresses. */
    private static final long WAIT_SECONDS = 10;

    private CacheRestore() {}

    /**
     * Writes the addresses of the fresh ones of {@code restored} that {@code filter} admits to their routes' sets
     * under {@code routing}.
     *
     * @return how many addresses were written, over all sets
     */
    static int writeSets(List<Map.Entry<CacheKey, CachedReply>> restored, Routing routing, SetTimeouts timeouts,
                         AddressFilter filter, SetWriter writer, Ticker ticker) {
        long now = ticker.nanos();
        Map<SetConfig, Map<InetAddress, Duration>> perSet = new LinkedHashMap<>();
        for (Map.Entry<CacheKey, CachedReply> e : restored) {
            CachedReply reply = e.getValue();
            Route route = routing.route(e.getKey().name());
            List<SetConfig> sets = route.part(SetWriteStage.SETS);
            if (sets == null || sets.isEmpty() || reply.rcode() != Rcode.NOERROR || !reply.isFresh(now)) {
                continue;
            }
            long age = reply.ageSeconds(now);
            List<AnswerAddress> found = reply.addresses(route.aaaa() == AaaaPolicy.SET);
            List<AnswerAddress> admitted = filter.admit(found, e.getKey().name(), null);
            for (AnswerAddress a : admitted) {
                Duration timeout = timeouts.timeout(a.ttl(), age, reply.lifetimeSeconds());
                for (SetConfig set : sets) {
                    boolean v4 = a.address() instanceof Inet4Address;
                    if (v4 == (set.target().family() == AddressFamily.INET)) {
                        perSet.computeIfAbsent(set, s -> new LinkedHashMap<>())
                                .merge(a.address(), timeout, (x, y) -> x.compareTo(y) >= 0 ? x : y);
                    }
                }
            }
        }
        return write(perSet, writer);
    }

    private static int write(Map<SetConfig, Map<InetAddress, Duration>> perSet, SetWriter writer) {
        int written = 0;
        List<CompletableFuture<WriteResult>> pending = new ArrayList<>();
        List<SetConfig> order = new ArrayList<>();
        perSet.forEach((set, addresses) -> {
            List<SetElement> elements = new ArrayList<>(addresses.size());
            addresses.forEach((address, timeout) -> elements.add(new SetElement(address, timeout)));
            pending.add(writer.add(set.target(), elements));
            order.add(set);
        });
        for (int i = 0; i < pending.size(); i++) {
            SetTarget target = order.get(i).target();
            try {
                WriteResult result = pending.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
                written += result.written();
                if (!result.ok()) {
                    log.warn("cache: restoring set {}: {} of {} addresses failed ({})", order.get(i).name(),
                            result.errors().size(), perSet.get(order.get(i)).size(),
                            result.errors().getFirst().message());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return written;
            } catch (Exception e) {
                log.warn("cache: restoring set {} ({}): {}", order.get(i).name(), target.displayName(), e.toString());
            }
        }
        if (!perSet.isEmpty()) {
            log.info("cache: {} addresses of restored answers written to {} set(s)", written, perSet.size());
        }
        return written;
    }
}
