package io.splitroute.unlisted;

import static io.splitroute.unlisted.VerdictRulesTest.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.CidrFormat;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.query.Verdict.Kind;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The unlisted stage with two scripted groups whose replies the test releases by hand: who is asked when, which
 * answer is served, and what the verdict cache remembers (domestic range 198.51.100.0/24).
 */
class UnlistedStageTest {
    private final ManualTicker ticker = new ManualTicker();
    private final VerdictCache verdicts = new VerdictCache(100, ticker);
    private final UnlistedMeters meters = new UnlistedMeters(verdicts);
    private final Scripted isp = new Scripted("isp");
    private final Scripted clean = new Scripted("clean");
    private final List<Query> forwarded = new ArrayList<>();
    /** As the forwarder sends: a failed group gives {@code null}. */
    private static final UnlistedStage.Sender SEND = (group, message) -> group.query(message).exceptionally(e -> null);
    private final UnlistedStage stage = new UnlistedStage(meters, SEND, q -> {
        forwarded.add(q);
        return CompletableFuture.completedFuture(Resolution.servfail(q));
    });
    private final Route route;

    UnlistedStageTest() {
        var table = new CidrFormat().parse("chnroute", "test", "198.51.100.0/24\n").table();
        UnlistedPlan plan = new UnlistedPlan("isp", isp, "clean", clean,
                IpListSet.of(List.of("chnroute"), Map.of("chnroute", table)), IpListSet.none(), verdicts, 0, 86400);
        route = Route.of(Route.UNLISTED, "clean", List.of("gfw4"), AaaaPolicy.DROP).with(UnlistedStage.PLAN, plan);
    }

    /** An upstream group whose replies are completed by the test; it records every query. */
    static final class Scripted implements Upstream {
        private final String name;
        final List<CompletableFuture<Message>> pending = new ArrayList<>();
        final List<Message> asked = new ArrayList<>();

        Scripted(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletableFuture<Message> query(Message query) {
            asked.add(query);
            CompletableFuture<Message> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        /** Answers the latest query with A records of the asked name, TTL {@code ttl}. */
        void answer(long ttl, String... addresses) {
            Message q = asked.getLast();
            Message r = reply(Rcode.NOERROR);
            r.getHeader().setID(q.getHeader().getID());
            r.removeAllRecords(Section.QUESTION);
            r.addRecord(q.getQuestion(), Section.QUESTION);
            for (String a : addresses) {
                r.addRecord(new ARecord(q.getQuestion().getName(), q.getQuestion().getDClass(), ttl,
                        InetAddress.ofLiteral(a)), Section.ANSWER);
            }
            pending.getLast().complete(r);
        }

        void timeOut() {
            pending.getLast().completeExceptionally(new UpstreamException(UpstreamException.Reason.ALL_FAILED, name,
                    "all 1 servers failed: timeout"));
        }
    }

    private CompletableFuture<Resolution> ask(String name) {
        return stage.resolve(StageQueries.query(name, Type.A).withRoute(route));
    }

    private static List<String> answer(Resolution r) {
        return r.reply().getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @Test
    void bothSidesAskedAtOnce_domesticAnswerServedWithoutWaitingForTheTrustedOne() {
        CompletableFuture<Resolution> result = ask("www.home.test");

        assertThat(isp.asked).hasSize(1);
        assertThat(clean.asked).as("the trusted side is asked before the domestic one answers").hasSize(1);
        isp.answer(300, "198.51.100.7");

        assertThat(result).isCompleted();
        Resolution r = result.join();
        assertThat(answer(r)).containsExactly("198.51.100.7");
        assertThat(r.upstream()).isEqualTo("isp");
        assertThat(r.source()).isEqualTo(Source.UPSTREAM);
        assertThat(r.verdict().kind()).isEqualTo(Kind.DOMESTIC);
        assertThat(r.route()).isSameAs(route);
    }

    @Test
    void trustedAnswerFirst_domesticStillWaitedFor() {
        CompletableFuture<Resolution> result = ask("www.blocked.test");
        clean.answer(300, "192.0.2.10");

        assertThat(result).as("waits for the domestic side").isNotDone();
        isp.answer(300, "192.0.2.66");

        assertThat(answer(result.join())).containsExactly("192.0.2.10");
        assertThat(result.join().upstream()).isEqualTo("clean");
        assertThat(result.join().verdict().kind()).isEqualTo(Kind.FOREIGN);
    }

    @Test
    void domesticTimeout_trustedAnswerServed_notRemembered() {
        CompletableFuture<Resolution> result = ask("www.slow.test");
        clean.answer(300, "192.0.2.10");
        isp.timeOut();

        assertThat(answer(result.join())).containsExactly("192.0.2.10");
        assertThat(verdicts.get("www.slow.test")).isNull();
        ask("www.slow.test");
        assertThat(isp.asked).as("asked both ways again").hasSize(2);
    }

    @Test
    void trustedTimeout_afterAForeignDomesticAnswer_isServfailNeverThePoison() {
        CompletableFuture<Resolution> result = ask("www.blocked.test");
        isp.answer(300, "192.0.2.66");
        clean.timeOut();

        assertThat(result.join().rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(result.join().verdict().kind()).isEqualTo(Kind.FOREIGN);
    }

    @Test
    void foreignVerdict_remembered_laterMissAsksOnlyTheTrustedSide_untilItExpires() {
        CompletableFuture<Resolution> first = ask("www.blocked.test");
        isp.answer(120, "192.0.2.66");
        clean.answer(600, "192.0.2.10");
        assertThat(first.join().verdict().remembered()).isFalse();

        CompletableFuture<Resolution> second = ask("www.blocked.test");
        assertThat(isp.asked).as("domestic side not asked again").hasSize(1);
        assertThat(clean.asked).hasSize(2);
        clean.answer(600, "192.0.2.10");
        assertThat(second.join().verdict().kind()).isEqualTo(Kind.FOREIGN);
        assertThat(second.join().verdict().remembered()).isTrue();

        ticker.advance(Duration.ofSeconds(601)); // the trusted answer's TTL, which decided
        ask("www.blocked.test");
        assertThat(isp.asked).as("asked both ways once the verdict expired").hasSize(2);
        assertThat(meters.count(Kind.FOREIGN, true)).isEqualTo(1);
        assertThat(meters.count(Kind.FOREIGN, false)).isEqualTo(1);
    }

    @Test
    void domesticVerdict_laterMissAsksTheDomesticSideOnly_andTheTrustedOneWhenItStopsPassing() {
        ask("www.home.test");
        isp.answer(300, "198.51.100.7");

        CompletableFuture<Resolution> second = ask("www.home.test");
        assertThat(clean.asked).as("trusted side not asked for a domestic name").hasSize(1);
        isp.answer(300, "198.51.100.8");
        assertThat(second.join().verdict().kind()).isEqualTo(Kind.DOMESTIC);

        CompletableFuture<Resolution> third = ask("www.home.test");
        isp.answer(300, "192.0.2.66"); // now poisoned: the trusted side is asked after all
        assertThat(clean.asked).hasSize(2);
        clean.answer(300, "192.0.2.10");
        assertThat(answer(third.join())).containsExactly("192.0.2.10");
        assertThat(verdicts.get("www.home.test").kind()).isEqualTo(Kind.FOREIGN);
    }

    @Test
    void otherRoutes_goToTheNextStage() {
        Query listed = StageQueries.query("www.listed.test", Type.A)
                .withRoute(Route.of("tunnel", "clean", List.of(), AaaaPolicy.PASS));

        stage.resolve(listed);

        assertThat(forwarded).containsExactly(listed);
        assertThat(isp.asked).isEmpty();
        assertThat(clean.asked).isEmpty();
    }

    @Test
    void meters_countQueriesPerSide() {
        ask("www.home.test");
        isp.answer(300, "198.51.100.7");
        ask("www.home.test");

        assertThat(meters.queries(true)).isEqualTo(2);
        assertThat(meters.queries(false)).isEqualTo(1);
    }

    @Test
    void lifetime_isTheAnswersSmallestTtlWithinTheCacheBounds() {
        Message r = reply(Rcode.NOERROR, "www.x.test CNAME edge.test.", "edge.test A 192.0.2.1"); // TTL 300 each

        assertThat(UnlistedStage.lifetime(r, 0, 86400)).isEqualTo(300);
        assertThat(UnlistedStage.lifetime(r, 600, 86400)).isEqualTo(600);
        assertThat(UnlistedStage.lifetime(r, 0, 60)).isEqualTo(60);
        assertThat(UnlistedStage.lifetime(reply(Rcode.NOERROR), 0, 86400)).as("no record, no SOA").isZero();
    }
}
