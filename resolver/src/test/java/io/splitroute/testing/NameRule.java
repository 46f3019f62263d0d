package io.splitroute.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;

/**
 * What {@link FakeUpstream} does for one name: its records per type and the modifiers set on it. Immutable;
 * the fake replaces the whole rule on every change.
 *
 * @param records         records per type (owner name as configured)
 * @param rcode           NXDOMAIN, SERVFAIL or REFUSED for every type, or -1 for "answer from records"
 * @param negativeTtl     TTL and minimum of the SOA sent with NXDOMAIN and NODATA
 * @param delay           how long to wait before the real reply
 * @param silent          never reply
 * @param truncateUdp     over UDP, reply with TC=1 and no records
 * @param spoof           the forged reply sent first, or null
 * @param spoofThenAnswer whether the real reply follows the forged one
 * @param appended        records added to the answer section of every NOERROR reply to this name
 */
record NameRule(
        Map<Integer, List<Record>> records,
        int rcode,
        long negativeTtl,
        Duration delay,
        boolean silent,
        boolean truncateUdp,
        SpoofMode spoof,
        boolean spoofThenAnswer,
        List<Record> appended) {

    static final long DEFAULT_NEGATIVE_TTL = 300;
    static final NameRule EMPTY =
            new NameRule(Map.of(), -1, DEFAULT_NEGATIVE_TTL, Duration.ZERO, false, false, null, false, List.of());

    NameRule {
        records = Map.copyOf(records);
        appended = List.copyOf(appended);
    }

    List<Record> records(int type) {
        return records.getOrDefault(type, List.of());
    }

    NameRule withRecords(int type, List<Record> list) {
        Map<Integer, List<Record>> copy = new HashMap<>(records);
        copy.put(type, List.copyOf(list));
        return new NameRule(copy, -1, negativeTtl, delay, silent, truncateUdp, spoof, spoofThenAnswer, appended);
    }

    NameRule withRcode(int newRcode, long newNegativeTtl) {
        return new NameRule(records, newRcode, newNegativeTtl, delay, silent, truncateUdp, spoof, spoofThenAnswer, appended);
    }

    NameRule withDelay(Duration newDelay) {
        return new NameRule(records, rcode, negativeTtl, newDelay, silent, truncateUdp, spoof, spoofThenAnswer, appended);
    }

    NameRule withSilent() {
        return new NameRule(records, rcode, negativeTtl, delay, true, truncateUdp, spoof, spoofThenAnswer, appended);
    }

    NameRule withTruncateUdp() {
        return new NameRule(records, rcode, negativeTtl, delay, silent, true, spoof, spoofThenAnswer, appended);
    }

    NameRule withAppended(List<Record> more) {
        List<Record> all = new java.util.ArrayList<>(appended);
        all.addAll(more);
        return new NameRule(records, rcode, negativeTtl, delay, silent, truncateUdp, spoof, spoofThenAnswer, all);
    }

    NameRule withSpoof(SpoofMode mode, boolean thenAnswer) {
        return new NameRule(records, rcode, negativeTtl, delay, silent, truncateUdp, mode, thenAnswer, appended);
    }
}
