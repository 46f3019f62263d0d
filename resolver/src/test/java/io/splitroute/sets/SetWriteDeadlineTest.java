package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.sets.SetConfig;
import io.splitroute.sets.SetTimeout;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.SetWrite;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.query.Transport;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.WriteResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The write deadline: how long a reply waits for a write that has not been acknowledged. */
class SetWriteDeadlineTest {
    private static final IpsetTarget V4 = new IpsetTarget("gfwlist", AddressFamily.INET);
    private static final Duration DEADLINE = Duration.ofMillis(50);

    /** A writer whose adds stay pending until the test completes them. */
    private static final class PendingWriter implements SetWriter {
        private final boolean onCallingThread;
        final List<CompletableFuture<WriteResult>> adds = new CopyOnWriteArrayList<>();

        PendingWriter(boolean onCallingThread) {
            this.onCallingThread = onCallingThread;
        }

        @Override
        public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
            CompletableFuture<WriteResult> future = new CompletableFuture<>();
            adds.add(future);
            return future;
        }

        @Override
        public boolean writesOnCallingThread() {
            return onCallingThread;
        }

        @Override
        public void probe(SetTarget target) {}

        @Override
        public void create(SetSpec spec) {}

        @Override
        public void close() {}
    }

    private static CompletableFuture<Resolution> resolve(SetWriteStage stage) throws Exception {
        return resolve(stage, List.of(new SetConfig("gfw4", V4, false, null, SetConfig.OnError.ANSWER, 1)));
    }

    private static CompletableFuture<Resolution> resolve(SetWriteStage stage, List<SetConfig> sets) throws Exception {
        Name name = Name.fromString("www.blocked.example.");
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        Route route = Route.of("tunnel", "clean", sets.stream().map(SetConfig::name).toList(), AaaaPolicy.DROP)
                .with(SetWriteStage.SETS, sets);
        Query routed = Query.of(query, new InetSocketAddress("127.0.0.1", 40000), Transport.UDP).withRoute(route);
        return stage.resolve(routed);
    }

    /** Deadlines the test fires by hand: each armed one is kept with its duration. */
    private static final class ManualDeadlines implements Deadlines {
        final List<Runnable> armed = new CopyOnWriteArrayList<>();
        final List<Long> nanos = new CopyOnWriteArrayList<>();

        @Override
        public Runnable arm(Runnable expire, long after) {
            armed.add(expire);
            nanos.add(after);
            return () -> { };
        }
    }

    private static SetWriteStage stage(SetWriter writer) {
        return stage(writer, Deadlines.JDK);
    }

    private static SetWriteStage stage(SetWriter writer, Deadlines deadlines) {
        SetTimeouts timeouts = new SetTimeouts(new SetTimeout(Duration.ofSeconds(300), Duration.ofDays(1), Duration.ofSeconds(60)));
        return new SetWriteStage(writer, timeouts, DEADLINE, new AddressFilter(Networks.NONE, 32), new AddressDrops(),
                Ticker.SYSTEM, deadlines, query -> CompletableFuture.completedFuture(
                new Resolution(upstreamReply(query), Source.UPSTREAM, query.route(), "clean", null)));
    }

    private static Message upstreamReply(Query query) {
        try {
            Message reply = query.message().clone();
            reply.getHeader().setFlag(Flags.QR);
            reply.addRecord(new ARecord(Name.fromString("www.blocked.example."), DClass.IN, 300,
                    InetAddress.getByName("192.0.2.1")), Section.ANSWER);
            return reply;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writeOnAnotherThread_replyReleasedAtTheDeadlineAndCounted() throws Exception {
        PendingWriter writer = new PendingWriter(false);
        SetWriteStage stage = stage(writer);
        long start = System.nanoTime();

        Resolution resolution = resolve(stage).get(5, TimeUnit.SECONDS);

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(writer.adds).hasSize(1);
        assertThat(writer.adds.getFirst()).isNotDone();
        assertThat(waitedMillis).isGreaterThanOrEqualTo(DEADLINE.toMillis());
        assertThat(resolution.reply().getSection(Section.ANSWER)).hasSize(1);
        assertThat(stage.deadlineMissed()).isEqualTo(1);
        assertThat(resolution.written().outcome()).isEqualTo(SetWrite.Outcome.LATE);
    }

    @Test
    void writeOnAnotherThread_releasedWhenTheArmedDeadlineFires() throws Exception {
        PendingWriter writer = new PendingWriter(false);
        ManualDeadlines deadlines = new ManualDeadlines();
        SetWriteStage stage = stage(writer, deadlines);

        CompletableFuture<Resolution> pending = resolve(stage);

        assertThat(deadlines.nanos).containsExactly(DEADLINE.toNanos());
        assertThat(pending).as("released before the deadline").isNotDone();
        deadlines.armed.getFirst().run();
        assertThat(pending.get(5, TimeUnit.SECONDS).reply().getSection(Section.ANSWER)).hasSize(1);
        assertThat(stage.deadlineMissed()).isEqualTo(1);
    }

    @Test
    void writeOnTheCallingThread_replyWaitsForTheAckWithoutATimer() throws Exception {
        PendingWriter writer = new PendingWriter(true);
        ManualDeadlines deadlines = new ManualDeadlines();
        SetWriteStage stage = stage(writer, deadlines);

        CompletableFuture<Resolution> pending = resolve(stage);

        assertThat(deadlines.armed).as("no timer armed for a write on the calling thread").isEmpty();
        assertThat(pending).as("released before the ack").isNotDone();
        writer.adds.getFirst().complete(new WriteResult(V4, 1, List.of()));
        Resolution resolution = pending.get(5, TimeUnit.SECONDS);
        assertThat(resolution.reply().getSection(Section.ANSWER)).hasSize(1);
        assertThat(stage.deadlineMissed()).isZero();
        assertThat(resolution.written().sets()).containsExactly("gfw4");
        assertThat(resolution.written().addresses()).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(resolution.written().outcome()).isEqualTo(SetWrite.Outcome.WRITTEN);
    }

    @Test
    void writeOnAnotherThreadAckedInTime_notCounted() throws Exception {
        PendingWriter writer = new PendingWriter(false);
        SetWriteStage stage = stage(writer);

        CompletableFuture<Resolution> pending = resolve(stage);
        writer.adds.getFirst().complete(new WriteResult(V4, 1, List.of()));

        assertThat(pending.get(5, TimeUnit.SECONDS).reply().getSection(Section.ANSWER)).hasSize(1);
        assertThat(stage.deadlineMissed()).isZero();
    }

    private static final IpsetTarget OTHER = new IpsetTarget("gfwlist-b", AddressFamily.INET);

    /** gfw4 (on error: answer) and gfw4b (OTHER, on error: SERVFAIL), both IPv4: one answer, two writes. */
    private static List<SetConfig> twoSets() {
        return List.of(new SetConfig("gfw4", V4, false, null, SetConfig.OnError.ANSWER, 1),
                new SetConfig("gfw4b", OTHER, false, null, SetConfig.OnError.SERVFAIL, 2));
    }

    @Test
    void twoSets_oneAckedOneNot_releasedAtTheDeadlineWithOneMissCounted() throws Exception {
        PendingWriter writer = new PendingWriter(false);
        SetWriteStage stage = stage(writer);
        List<SetConfig> sets = twoSets();

        CompletableFuture<Resolution> pending = resolve(stage, sets);
        assertThat(writer.adds).hasSize(2);
        writer.adds.getFirst().complete(new WriteResult(V4, 1, List.of()));
        Resolution resolution = pending.get(5, TimeUnit.SECONDS);
        // Told after the deadline: ignored, the reply is out and the miss counted once.
        writer.adds.get(1).complete(new WriteResult(OTHER, 0, List.of()));

        assertThat(resolution.reply().getSection(Section.ANSWER)).hasSize(1);
        assertThat(stage.deadlineMissed()).isEqualTo(1);
        assertThat(stage.failedWrites()).isZero();
    }

    @Test
    void twoSets_releasedOnlyWhenBothAreTold_andAFailedServfailSetMakesItServfail() throws Exception {
        PendingWriter writer = new PendingWriter(true);
        SetWriteStage stage = stage(writer);
        List<SetConfig> sets = twoSets();

        CompletableFuture<Resolution> pending = resolve(stage, sets);
        writer.adds.get(1).complete(new WriteResult(OTHER, 0, List.of(new io.splitroute.sink.SetError(OTHER, null,
                io.splitroute.sink.SetError.Kind.SET_FULL, "ipset gfwlist-b is full"))));
        assertThat(pending).as("released with one write still unacknowledged").isNotDone();
        writer.adds.getFirst().complete(new WriteResult(V4, 1, List.of()));

        Resolution resolution = pending.get(5, TimeUnit.SECONDS);
        assertThat(resolution.reply().getHeader().getRcode()).isEqualTo(org.xbill.DNS.Rcode.SERVFAIL);
        assertThat(resolution.written().outcome()).isEqualTo(SetWrite.Outcome.FAILED);
        assertThat(resolution.written().sets()).containsExactly("gfw4", "gfw4b");
        assertThat(stage.failedWrites()).isEqualTo(1);
        assertThat(stage.deadlineMissed()).isZero();
    }

    @Test
    void writerToldAnotherTarget_replyStillReleased() throws Exception {
        PendingWriter writer = new PendingWriter(true);
        SetWriteStage stage = stage(writer);

        CompletableFuture<Resolution> pending = resolve(stage);
        IpsetTarget renamed = new IpsetTarget("gfwlist-renamed", AddressFamily.INET);
        writer.adds.getFirst().complete(new WriteResult(renamed, 1, List.of()));

        assertThat(pending.get(5, TimeUnit.SECONDS).reply().getSection(Section.ANSWER)).hasSize(1);
    }
}
