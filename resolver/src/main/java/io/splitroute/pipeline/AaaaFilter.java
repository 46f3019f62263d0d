package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * On routes whose AAAA policy is {@code drop}: answers AAAA queries with NODATA without asking upstream,
 * and removes AAAA records and ipv6hint parameters from other answers, so clients of an IPv4-only tunnel
 * never get an IPv6 address that would route around it. Sits below the cache, which keeps the filtered
 * answer (the cache key includes the route).
 */
public final class AaaaFilter implements QueryStage {
    private final QueryStage next;

    /** @param next the next stage (the upstream forwarder) */
    public AaaaFilter(QueryStage next) {
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        if (query.route() == null || query.route().aaaa() != AaaaPolicy.DROP) {
            return next.resolve(query);
        }
        if (query.qtype() == Type.AAAA) {
            return CompletableFuture.completedFuture(Resolution.error(query, Rcode.NOERROR, Source.LOCAL));
        }
        return next.resolve(query).thenApply(AaaaFilter::strip);
    }

    private static Resolution strip(Resolution resolution) {
        Message reply = resolution.reply();
        if (!hasIpv6(reply)) {
            return resolution;
        }
        Message copy = reply.clone();
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            List<Record> records = new ArrayList<>(copy.getSection(section));
            copy.removeAllRecords(section);
            for (Record r : records) {
                if (r.getType() == Type.AAAA) {
                    continue;
                }
                copy.addRecord(r instanceof SVCBBase svcb ? withoutIpv6Hint(svcb) : r, section);
            }
        }
        return new Resolution(copy, resolution.source(), resolution.route(), resolution.upstream(), null, null,
                resolution.verdict());
    }

    private static boolean hasIpv6(Message reply) {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : reply.getSection(section)) {
                if (r.getType() == Type.AAAA
                        || r instanceof SVCBBase svcb && svcb.getSvcParamKeys().contains(SVCBBase.IPV6HINT)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Record withoutIpv6Hint(SVCBBase record) {
        if (!record.getSvcParamKeys().contains(SVCBBase.IPV6HINT)) {
            return record;
        }
        List<SVCBBase.ParameterBase> params = new ArrayList<>();
        for (int key : record.getSvcParamKeys()) {
            if (key != SVCBBase.IPV6HINT) {
                params.add(record.getSvcParamValue(key));
            }
        }
        return record instanceof HTTPSRecord
                ? new HTTPSRecord(record.getName(), record.getDClass(), record.getTTL(), record.getSvcPriority(),
                        record.getTargetName(), params)
                : new SVCBRecord(record.getName(), record.getDClass(), record.getTTL(), record.getSvcPriority(),
                        record.getTargetName(), params);
    }
}
