package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.testing.StageQueries;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The forwarder alone: the group the query's route was bound to answers; a failure becomes SERVFAIL. */
class UpstreamForwarderTest {
    private final UpstreamForwarder forwarder = new UpstreamForwarder(() -> 2000);

    private static Upstream group(String name, CompletableFuture<Message> reply) {
        return new Upstream() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<Message> query(Message query) {
                return reply;
            }
        };
    }

    private static Query routed(Upstream group) {
        Route route = Route.of("tunnel", "clean", List.of(), AaaaPolicy.PASS);
        return StageQueries.query("a.example", Type.A)
                .withRoute(group == null ? route : route.with(UpstreamForwarder.GROUP, group));
    }

    @Test
    void answer_fromTheGroupBoundToTheRoute_attributedToIt() {
        Query query = routed(null);
        Message reply = StageQueries.answer(query, 60, "192.0.2.1").reply();

        Resolution r = forwarder.resolve(routed(group("clean", CompletableFuture.completedFuture(reply)))).join();

        assertThat(r.source()).isEqualTo(Source.UPSTREAM);
        assertThat(r.upstream()).isEqualTo("clean");
        assertThat(r.reply().getSection(org.xbill.DNS.Section.ANSWER)).hasSize(1);
    }

    @Test
    void failure_servfailAttributedToTheGroup() {
        CompletableFuture<Message> failed = CompletableFuture.failedFuture(
                new UpstreamException(UpstreamException.Reason.ALL_FAILED, "clean", "all 1 servers failed"));

        Resolution r = forwarder.resolve(routed(group("clean", failed))).join();

        assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(r.source()).isEqualTo(Source.FAILED);
        assertThat(r.upstream()).isEqualTo("clean");
    }

    @Test
    void pendingAtTheBound_nextQueryServfailAtOnceAndCounted_completionReleases() {
        UpstreamForwarder bounded = new UpstreamForwarder(() -> 2);
        CompletableFuture<Message> never = new CompletableFuture<>();
        CompletableFuture<Message> failing = new CompletableFuture<>();
        Query query = routed(group("clean", never));

        CompletableFuture<Resolution> first = bounded.resolve(query);
        CompletableFuture<Resolution> second = bounded.resolve(routed(group("clean", failing)));
        Resolution third = bounded.resolve(query).join();

        assertThat(first).isNotDone();
        assertThat(third.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(third.upstream()).isEqualTo("clean");
        assertThat(bounded.pending()).isEqualTo(2);
        assertThat(bounded.overloaded()).isEqualTo(1);

        failing.completeExceptionally(new UpstreamException(UpstreamException.Reason.TIMEOUT, "clean", "timed out"));
        assertThat(second.join().rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(bounded.pending()).isEqualTo(1);
        never.complete(StageQueries.answer(query, 60, "192.0.2.1").reply());
        assertThat(first.join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(bounded.pending()).isZero();
        assertThat(bounded.resolve(query).join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(bounded.overloaded()).isEqualTo(1);
    }

    @Test
    void groupThrowing_servfailAndNothingLeftCounted() {
        Upstream broken = new Upstream() {
            @Override
            public String name() {
                return "clean";
            }

            @Override
            public CompletableFuture<Message> query(Message query) {
                throw new IllegalStateException("broken group");
            }
        };

        Resolution r = forwarder.resolve(routed(broken)).join();

        assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(forwarder.pending()).isZero();
    }

    @Test
    void noGroupBound_servfail() {
        assertThat(forwarder.resolve(routed(null)).join().rcode()).isEqualTo(Rcode.SERVFAIL);
    }
}
