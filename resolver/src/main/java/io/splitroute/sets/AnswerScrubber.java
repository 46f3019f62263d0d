package io.splitroute.sets;

import io.splitroute.query.Query;
import io.splitroute.query.QueryStage;
import io.splitroute.query.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Removes from upstream answers the address records their question did not earn: every A, AAAA, HTTPS and
 * SVCB record of the answer section (and its RRSIG) owned by a name outside the question's CNAME chain
 * ({@link AnswerChain}), as unbound's scrubber does. Sits below the cache, so the cache never keeps them: no
 * client and no set write ever sees them, not even from a cache hit. Each removed address is counted
 * ({@code dns.upstream.dropped}, reason {@code out-of-chain}) and logged at most once a minute. Other
 * records pass untouched; an answer with nothing to remove passes as it is.
 */
public final class AnswerScrubber implements QueryStage {
    private final AddressDrops drops;
    private final QueryStage next;

    /**
     * @param drops counts the removed addresses
     * @param next  the next stage (towards the upstream forwarder)
     */
    public AnswerScrubber(AddressDrops drops, QueryStage next) {
        this.drops = drops;
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        return next.resolve(query).thenApply(this::scrub);
    }

    /** Returns {@code resolution} without the out-of-chain address records of its answer section. */
    Resolution scrub(Resolution resolution) {
        if (resolution.cached() != null) {
            return resolution; // prepared already: scrubbed before it was stored
        }
        Message reply = resolution.reply();
        List<Record> answer = reply.getSection(Section.ANSWER);
        if (answer.isEmpty()) {
            return resolution;
        }
        AnswerChain chain = AnswerChain.of(reply);
        List<Record> foreign = null;
        for (Record r : answer) {
            if (!chain.owns(r.getName()) && (AnswerAddresses.carriesAddresses(r) || coversAddresses(r))) {
                foreign = foreign == null ? new ArrayList<>() : foreign;
                foreign.add(r);
            }
        }
        if (foreign == null) {
            return resolution;
        }
        Message copy = reply.clone();
        int addresses = 0;
        for (Record r : foreign) {
            copy.removeRecord(r, Section.ANSWER);
            addresses += AnswerAddresses.addressCount(r);
        }
        if (addresses > 0) {
            drops.drop(AddressDrops.Reason.OUT_OF_CHAIN, addresses, "upstream " + resolution.upstream()
                    + " answered " + chain.question() + " with " + describe(foreign.getFirst())
                    + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more records" : "")
                    + " outside the question's CNAME chain: removed");
        }
        return new Resolution(copy, resolution.source(), resolution.route(), resolution.upstream(), null,
                resolution.written());
    }

    private static String describe(Record r) {
        return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
    }

    private static boolean coversAddresses(Record r) {
        if (!(r instanceof RRSIGRecord sig)) {
            return false;
        }
        int covered = sig.getTypeCovered();
        return covered == Type.A || covered == Type.AAAA || covered == Type.HTTPS || covered == Type.SVCB;
    }
}
