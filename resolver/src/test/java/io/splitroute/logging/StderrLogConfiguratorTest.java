package io.splitroute.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrLogConfiguratorTest {

    @Test
    void configureStderr_writesTheConciseLineFormatToStderr() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as the SLF4J provider does
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            StderrLogConfigurator.configureStderr(context);
            context.getLogger("io.splitroute.app.Lifecycle").info("listening on {}", "127.0.0.1:53");
            context.getLogger("io.netty.channel.Foo").info("hidden below WARN");
            context.getLogger("io.netty.channel.Foo").warn("shown");
        } finally {
            System.setErr(original);
            context.stop();
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).as(context.getStatusManager().getCopyOfStatusList().toString()).matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Lifecycle: listening on 127\\.0\\.0\\.1:53\\R"
                        + "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Foo: shown\\R");
    }

    @Test
    void configure_stepsAsideForLogbackTestXml() {
        LoggerContext context = new LoggerContext();
        StderrLogConfigurator configurator = new StderrLogConfigurator();
        configurator.setContext(context);

        // src/test/resources/logback-test.xml is on the test class path: Joran must read it, as before
        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void rootLevel_fromPropertyElseInfo() {
        String before = System.getProperty(StderrLogConfigurator.LEVEL_VARIABLE);
        try {
            System.setProperty(StderrLogConfigurator.LEVEL_VARIABLE, "debug");
            assertThat(StderrLogConfigurator.rootLevel()).isEqualTo(Level.DEBUG);
            System.setProperty(StderrLogConfigurator.LEVEL_VARIABLE, "nonsense");
            assertThat(StderrLogConfigurator.rootLevel()).isEqualTo(Level.INFO);
        } finally {
            if (before == null) {
                System.clearProperty(StderrLogConfigurator.LEVEL_VARIABLE);
            } else {
                System.setProperty(StderrLogConfigurator.LEVEL_VARIABLE, before);
            }
        }
    }
}
