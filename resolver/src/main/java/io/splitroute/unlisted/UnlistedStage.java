package io.splitroute.unlisted;

import io.splitroute.query.Query;
import io.splitroute.query.QueryStage;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.query.Verdict;
import io.splitroute.unlisted.VerdictRules.Decision;
import io.splitroute.unlisted.VerdictRules.Judgement;
import io.splitroute.unlisted.VerdictRules.Side;
import io.splitroute.upstream.Upstream;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Answers names on no list (queries whose route carries a {@link #PLAN}) from two upstream groups: the domestic
 * one and the trusted one are asked at once; the domestic answer is served when every address in it is
 * domestic, the trusted one otherwise ({@link VerdictRules}). The domestic side is waited for up to its own
 * timeout. The verdict goes into the verdict cache for as long as the served answer lives, so a later miss of a
 * name judged foreign asks the trusted side only, and one judged domestic asks the trusted side only when its
 * domestic answer no longer passes. The reply carries the verdict ({@link Resolution#verdict()}); the set stage
 * above writes nothing for a domestic one. Every other query goes to the next stage.
 */
public final class UnlistedStage implements QueryStage {
    /** The route part this stage reads: the compiled {@code unlisted:} block. */
    public static final Route.Key<UnlistedPlan> PLAN = Route.Key.named("unlisted");

    private static final Logger log = LoggerFactory.getLogger(UnlistedStage.class);

    private final UnlistedMeters meters;
    private final Sender sender;
    private final QueryStage next;

    /**
     * Sends a query to one upstream group and completes with its reply, or {@code null} when it failed (never
     * exceptionally): the forwarder's, so both sides count against {@code upstream-max-pending}.
     */
    @FunctionalInterface
    public interface Sender {
        /** Sends {@code message} to {@code group}. */
        CompletableFuture<Message> send(Upstream group, Message message);
    }

    /**
     * @param meters counts verdicts and the upstream queries of each side
     * @param sender sends each side's query
     * @param next   the stage for queries of every other route (the upstream forwarder)
     */
    public UnlistedStage(UnlistedMeters meters, Sender sender, QueryStage next) {
        this.meters = meters;
        this.sender = sender;
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        UnlistedPlan plan = query.route() == null ? null : query.route().part(PLAN);
        if (plan == null) {
            return next.resolve(query);
        }
        Verdict known = plan.verdicts().get(query.name());
        CompletableFuture<Resolution> resolved;
        if (known != null && known.kind() == Verdict.Kind.FOREIGN) {
            resolved = ask(plan.trusted(), query, false)
                    .thenApply(reply -> serve(query, plan, new Decision(known, Side.TRUSTED, false), null, reply));
        } else {
            resolved = both(query, plan, known);
        }
        return resolved.exceptionally(error -> { // a bug, not an upstream failure (those are replies or nulls)
            log.warn("unlisted {}: {}", query, error.toString());
            return Resolution.servfail(query);
        });
    }

    /**
     * Asks the domestic side, and the trusted side at once unless the name is known to be domestic (then only
     * when its domestic answer does not pass).
     */
    private CompletableFuture<Resolution> both(Query query, UnlistedPlan plan, Verdict known) {
        CompletableFuture<Message> trustedEarly = known == null ? ask(plan.trusted(), query, false) : null;
        return ask(plan.domestic(), query, true).thenCompose(domestic -> {
            Judgement judged = VerdictRules.judgeDomestic(domestic, plan.domesticIps(), plan.poisonIps());
            if (judged.kind() == Verdict.Kind.DOMESTIC) {
                return done(serve(query, plan, new Decision(judged.verdict(), Side.DOMESTIC, true), domestic, null));
            }
            if (known != null && judged.reason() == Verdict.Reason.DOMESTIC_NO_ADDRESS) {
                // A name known to be domestic, asked for a type without addresses (MX, TXT, NODATA): nothing to judge.
                return done(serve(query, plan, new Decision(known, Side.DOMESTIC, false), domestic, null));
            }
            CompletableFuture<Message> trusted = trustedEarly != null ? trustedEarly : ask(plan.trusted(), query, false);
            return trusted.thenApply(reply -> serve(query, plan,
                    VerdictRules.afterTrusted(judged, reply, plan.domesticIps()), domestic, reply));
        });
    }

    /** Sends {@code query} to {@code group}; the future completes with the reply, or {@code null} on failure. */
    private CompletableFuture<Message> ask(Upstream group, Query query, boolean domestic) {
        meters.asked(domestic);
        return sender.send(group, query.message());
    }

    /** Makes the reply a decision serves, counts and remembers the verdict. */
    private Resolution serve(Query query, UnlistedPlan plan, Decision decision, Message domestic, Message trusted) {
        Verdict verdict = decision.verdict();
        meters.decided(verdict);
        Message reply = switch (decision.serve()) {
            case DOMESTIC -> domestic;
            case TRUSTED -> trusted;
            case NONE -> null;
        };
        if (decision.remember()) {
            Message decided = reply != null ? reply : domestic;
            plan.verdicts().put(query.name(), verdict, lifetime(decided, plan.minTtl(), plan.maxTtl()));
        }
        String group = decision.serve() == Side.DOMESTIC ? plan.domesticName() : plan.trustedName();
        if (reply == null) {
            return Resolution.servfail(query).withUpstream(group).withVerdict(verdict);
        }
        return new Resolution(reply, Source.UPSTREAM, query.route(), group, null, null, verdict);
    }

    /**
     * How long a verdict lives: as long as the answer that decided it would be cached (the smallest answer TTL,
     * or the SOA's negative TTL), within the cache's {@code min-ttl} and {@code max-ttl}; 0 without either.
     */
    static long lifetime(Message reply, long minTtl, long maxTtl) {
        if (reply == null) {
            return 0;
        }
        long ttl = Long.MAX_VALUE;
        for (Record r : reply.getSection(Section.ANSWER)) {
            ttl = Math.min(ttl, r.getTTL());
        }
        if (ttl == Long.MAX_VALUE) {
            for (Record r : reply.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord soa) {
                    ttl = Math.min(soa.getTTL(), soa.getMinimum());
                }
            }
        }
        return ttl == Long.MAX_VALUE ? 0 : Math.clamp(ttl, minTtl, maxTtl);
    }

    private static CompletableFuture<Resolution> done(Resolution resolution) {
        return CompletableFuture.completedFuture(resolution);
    }
}
