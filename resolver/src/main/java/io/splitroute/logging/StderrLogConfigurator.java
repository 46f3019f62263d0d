package io.splitroute.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Sets up logging in code, as the {@code logback.xml} it replaces did: concise lines on stderr
 * ({@code HH:mm:ss.SSS LEVEL Logger: message}; systemd's journal adds the date and the unit), Netty at WARN,
 * the root level from {@code SPLITROUTE_LOG_LEVEL} (system property or environment, default INFO).
 *
 * <p>Done without logback's XML configurator, which loads about 600 classes (the configurator and the
 * JDK's XML parser) and keeps their metadata for the whole run. A {@code -Dlogback.configurationFile=...}
 * or a {@code logback-test.xml} on the class path still takes over: this configurator then steps aside.
 * Registered in {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {
    /** The line layout. */
    public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";
    /** The variable holding the root level. */
    public static final String LEVEL_VARIABLE = "SPLITROUTE_LOG_LEVEL";

    /** Creates the configurator (logback instantiates it through the service loader). */
    public StderrLogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || StderrLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureStderr(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Adds the stderr appender and the levels to {@code context}. */
    static void configureStderr(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(stderr);
    }

    /** Returns the root level: {@value #LEVEL_VARIABLE} as a system property, else from the environment, else INFO. */
    static Level rootLevel() {
        String value = System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
        return Level.toLevel(value == null ? null : value.strip(), Level.INFO);
    }
}
