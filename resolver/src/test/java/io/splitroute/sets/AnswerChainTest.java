package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Which names an answer's question earned. */
class AnswerChainTest {
    static Name n(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    static Message reply(String question, Record... answers) {
        Message reply = Message.newQuery(Record.newRecord(n(question), Type.A, DClass.IN));
        for (Record answer : answers) {
            reply.addRecord(answer, Section.ANSWER);
        }
        return reply;
    }

    static Record cname(String owner, String target) {
        return new CNAMERecord(n(owner), DClass.IN, 300, n(target));
    }

    @Test
    void threeNames_followedLinkByLinkWhateverTheRecordOrder() {
        AnswerChain chain = AnswerChain.of(reply("www.blocked.example", cname("b.edge.test", "c.origin.test"),
                cname("www.blocked.example", "b.edge.test"), cname("unrelated.test", "d.test")));

        assertThat(chain.size()).isEqualTo(3);
        assertThat(chain.owns(n("c.origin.test"))).isTrue();
        assertThat(chain.owns(n("unrelated.test"))).isFalse();
        assertThat(chain.owns(n("d.test"))).isFalse();
    }

    @Test
    void namesCompareCaseInsensitively() {
        AnswerChain chain = AnswerChain.of(reply("WWW.Blocked.Example", cname("www.blocked.example", "Edge.CDN.test")));

        assertThat(chain.owns(n("www.blocked.EXAMPLE"))).isTrue();
        assertThat(chain.owns(n("edge.cdn.TEST"))).isTrue();
    }

    @Test
    void loop_terminatesWithEachNameOnce() {
        AnswerChain chain = AnswerChain.of(reply("a.loop.test", cname("a.loop.test", "b.loop.test"),
                cname("b.loop.test", "a.loop.test"), cname("a.loop.test", "b.loop.test")));

        assertThat(chain.size()).isEqualTo(2);
    }

    @Test
    void longChain_cutAfterMaxNames() {
        Record[] links = new Record[30];
        for (int i = 0; i < links.length; i++) {
            links[i] = cname("n" + i + ".test", "n" + (i + 1) + ".test");
        }
        AnswerChain chain = AnswerChain.of(reply("n0.test", links));

        assertThat(chain.size()).isEqualTo(AnswerChain.MAX_NAMES);
        assertThat(chain.owns(n("n15.test"))).isTrue();
        assertThat(chain.owns(n("n16.test"))).isFalse();
    }

    @Test
    void dname_rewritesTheNameUnderItsOwner() {
        AnswerChain chain = AnswerChain.of(reply("www.old.example",
                new DNAMERecord(n("old.example"), DClass.IN, 300, n("new.test"))));

        assertThat(chain.owns(n("www.new.test"))).isTrue();
        assertThat(chain.owns(n("old.example"))).as("the DNAME's own name is not the question's").isFalse();
    }

    @Test
    void addressRecordsDoNotExtendTheChain_noQuestionNothingOwned() throws Exception {
        Record a = new ARecord(n("www.blocked.example"), DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1"));
        assertThat(AnswerChain.of(reply("www.blocked.example", a)).size()).isEqualTo(1);
        assertThat(AnswerChain.of(new Message()).owns(n("www.blocked.example"))).isFalse();
    }
}
