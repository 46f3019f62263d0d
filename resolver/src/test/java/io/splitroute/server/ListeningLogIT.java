package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start-up line that says where the server listens names the address as a user writes it. */
class ListeningLogIT {
    @Test
    void listeningOn_addressWithoutALeadingSlash() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(DnsServer.class);
        logger.addAppender(log);
        try (FakeUpstream upstream = FakeUpstream.start()) {
            RunningResolver resolver = RunningResolver.start("""
                    listen: ["${listen}"]
                    upstreams: { isp: ["%s"] }
                    admin: off
                    """.formatted(upstream.udpUri()));
            resolver.close();
            String expected = "listening on 127.0.0.1:" + resolver.address().getPort() + " (UDP x";
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith(expected));
        } finally {
            logger.detachAppender(log);
        }
    }
}
