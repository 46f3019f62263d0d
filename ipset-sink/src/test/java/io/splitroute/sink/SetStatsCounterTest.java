package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SetStatsCounterTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(FullSetLog.class);

    @BeforeEach
    void listen() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        log.detachAppender(logged);
    }

    private static SetError full(SetTarget target, String address) throws Exception {
        return new SetError(target, InetAddress.getByName(address), SetError.Kind.SET_FULL,
                address + " not added to " + target.displayName() + ": set is full (maxelem 2)");
    }

    @Test
    void recordWrite_fullSet_countsRefusedElementsAndKeepsTheLatestError() throws Exception {
        IpsetTarget target = new IpsetTarget("stats-full", AddressFamily.INET);
        SetStatsCounter counter = new SetStatsCounter();

        counter.recordWrite(target, 5, List.of(full(target, "192.0.2.3"), full(target, "192.0.2.4")));
        counter.recordWrite(target, 1, List.of());

        TargetStats stats = counter.snapshot().get(target);
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.elements()).isEqualTo(4);
        assertThat(stats.failedElements()).isEqualTo(2);
        assertThat(stats.fullElements()).isEqualTo(2);
        assertThat(stats.fullWithin(Duration.ofMinutes(1), Instant.now())).isTrue();
        assertThat(stats.fullWithin(Duration.ofMinutes(1), Instant.now().plus(Duration.ofMinutes(2)))).isFalse();
        assertThat(stats.lastError().address()).isEqualTo(InetAddress.getByName("192.0.2.3"));
        assertThat(stats.lastErrorTime()).isNotNull();
    }

    @Test
    void recordWrite_fullSetAgainAndAgain_isLoggedOncePerMinuteAcrossCounters() throws Exception {
        IpsetTarget target = new IpsetTarget("stats-log", AddressFamily.INET);
        IpsetTarget other = new IpsetTarget("stats-log-other", AddressFamily.INET);
        SetStatsCounter loopA = new SetStatsCounter();
        SetStatsCounter loopB = new SetStatsCounter();

        loopA.recordWrite(target, 3, List.of(full(target, "192.0.2.3")));
        loopB.recordWrite(target, 3, List.of(full(target, "192.0.2.4")));
        loopA.recordWrite(target, 3, List.of(full(target, "192.0.2.5")));
        loopB.recordWrite(other, 3, List.of(full(other, "192.0.2.6")));

        assertThat(logged.list).hasSize(2).allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.WARN));
        assertThat(logged.list.get(0).getFormattedMessage())
                .startsWith("ipset stats-log is full: 1 element(s) not added (192.0.2.3 not added to ipset stats-log");
        assertThat(logged.list.get(1).getFormattedMessage()).startsWith("ipset stats-log-other is full");
    }

    @Test
    void recordWrite_otherErrors_areNotCountedAsFull() throws Exception {
        IpsetTarget target = new IpsetTarget("stats-missing", AddressFamily.INET);
        SetStatsCounter counter = new SetStatsCounter();

        counter.recordWrite(target, 4, List.of(new SetError(target, null, SetError.Kind.MISSING_SET, "no such set")));

        TargetStats stats = counter.snapshot().get(target);
        assertThat(stats.failedElements()).isEqualTo(4);
        assertThat(stats.fullElements()).isZero();
        assertThat(stats.lastFull()).isNull();
        assertThat(stats.lastError().kind()).isEqualTo(SetError.Kind.MISSING_SET);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void plus_addsCountersAndKeepsTheLatestErrorAndFullTime() {
        IpsetTarget target = new IpsetTarget("stats-plus", AddressFamily.INET);
        Instant earlier = Instant.parse("2026-01-01T00:00:00Z");
        Instant later = earlier.plusSeconds(30);
        SetError old = new SetError(target, null, SetError.Kind.IO, "old");
        SetError recent = new SetError(target, null, SetError.Kind.SET_FULL, "recent");
        TargetStats a = new TargetStats(1, 2, 3, -1, 100, 3, later, recent, later);
        TargetStats b = new TargetStats(10, 20, 30, 7, -1, 0, null, old, earlier);

        TargetStats sum = b.plus(a);

        assertThat(sum).isEqualTo(new TargetStats(11, 22, 33, 7, 100, 3, later, recent, later));
        assertThat(a.plus(b)).isEqualTo(new TargetStats(11, 22, 33, 7, 100, 3, later, recent, later));
    }
}
