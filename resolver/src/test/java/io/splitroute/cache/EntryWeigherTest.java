package io.splitroute.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.sets.AnswerAddresses;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The weigher against the heap: entries put in a {@link ReplyCache} take no more heap than they weigh, and not
 * much less (measured as the heap after a full GC, before and after filling the cache, in this test JVM).
 */
class EntryWeigherTest {

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Message answer(int i, int records) throws Exception {
        Name name = Name.fromString("www.host" + i + ".example.com.");
        Message m = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        for (int k = 0; k < records; k++) {
            m.addRecord(new ARecord(name, DClass.IN, 300,
                    InetAddress.getByAddress(new byte[] {10, (byte) k, (byte) (i >> 8), (byte) i})), Section.ANSWER);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} entries of {1} A records")
    @CsvSource({"10000, 1", "1000, 40"})
    void weight_coversTheHeapTheEntriesTake(int entries, int records) throws Exception {
        Ticker ticker = System::nanoTime;
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withBytes(1L << 31, 1L << 30), ticker);
        Message[] answers = new Message[entries];
        for (int i = 0; i < entries; i++) {
            answers[i] = answer(i, records);
        }
        long before = usedAfterGc();
        long weight = 0;
        for (int i = 0; i < entries; i++) {
            CachedReply reply = CachedReply.of(answers[i], Source.UPSTREAM, "clean", 0, 86_400, AnswerAddresses::all,
                    ticker.nanos());
            CacheKey key = new CacheKey(answers[i].getQuestion().getName().toString(true), Type.A, DClass.IN, false,
                    false, "tunnel");
            weight += EntryWeigher.bytes(key, reply);
            store.put(key, reply);
        }
        store.caffeine().cleanUp();
        long measured = usedAfterGc() - before;

        assertThat(store.entries()).isEqualTo(entries);
        assertThat((double) weight).as("weighed %d bytes, the heap grew by %d", weight, measured)
                .isBetween(measured * 0.92, measured * 1.35);
    }
}
