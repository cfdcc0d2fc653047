package io.villa.cli.demo;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;

/**
 * Sends every log line of this process to a file instead of the console while open, so the console
 * holds the status view alone; closing puts the console back. The levels stay those of logback.xml.
 */
final class DemoLogs implements AutoCloseable {

    private static final String CONSOLE = "CONSOLE";

    private final Logger root;
    private final FileAppender<ILoggingEvent> file;
    private final Appender<ILoggingEvent> console;

    private DemoLogs(Logger root, FileAppender<ILoggingEvent> file, Appender<ILoggingEvent> console) {
        this.root = root;
        this.file = file;
        this.console = console;
    }

    /** Redirects logging to {@code path}; does nothing (logs stay where they were) when the backend is not logback. */
    static DemoLogs toFile(Path path) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new DemoLogs(null, null, null);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("DEMO_FILE");
        appender.setFile(path.toAbsolutePath().toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
        root.addAppender(appender);
        if (console != null) {
            root.detachAppender(console);
        }
        return new DemoLogs(root, appender, console);
    }

    @Override
    public void close() {
        if (root == null) {
            return;
        }
        if (console != null) {
            root.addAppender(console);
        }
        root.detachAppender(file);
        file.stop();
    }
}
