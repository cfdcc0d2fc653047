package io.villa.producers.simulator;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends HL7 v2 messages over MLLP with HAPI's client and waits for each ACK. A message not acknowledged with AA (an
 * error or reject ACK, no answer, a broken connection) is sent again, the same message with the same MSH-10, after a
 * backoff that doubles, up to a number of attempts; a receiver must therefore treat a resend as a duplicate.
 * Not thread-safe: one sender thread.
 */
public final class MllpSender implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MllpSender.class);

    private final String host;
    private final int port;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration ackTimeout;
    private final HapiContext context;
    private Connection connection;
    private volatile String lastFailure = "";

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();

    public MllpSender(String host, int port, int maxAttempts, Duration firstBackoff, Duration ackTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.host = host;
        this.port = port;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.ackTimeout = ackTimeout;
        this.context = new DefaultHapiContext();
        // HAPI's default executor is shared by every context of the JVM, and closing a context shuts it down: this
        // sender's own executor keeps a listener or another sender in the same JVM alive when the sender closes
        context.setExecutorService(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "villa-mllp-client");
            thread.setDaemon(true);
            return thread;
        }));
        // we check the ACK ourselves; whatever a receiver adds to it must not make the client fail
        context.setValidationContext(ValidationContextFactory.noValidation());
        ParserConfiguration parser = context.getParserConfiguration();
        parser.setValidating(false);
    }

    /**
     * Sends {@code message} until it is acknowledged with AA or the attempts are spent.
     *
     * @return true when acknowledged
     */
    public boolean send(Message message) throws InterruptedException {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            sent.incrementAndGet();
            String outcome;
            try {
                Message ack = connection().getInitiator().sendAndReceive(message);
                String code = new Terser(ack).get("/MSA-1");
                if ("AA".equals(code) || "CA".equals(code)) {
                    acknowledged.incrementAndGet();
                    return true;
                }
                refused.incrementAndGet();
                outcome = "ACK " + code;
            } catch (HL7Exception | LLPException | java.io.IOException | RuntimeException e) {
                // a timeout or broken connection: the message may or may not have arrived, so it is sent again
                unanswered.incrementAndGet();
                outcome = e.getClass().getSimpleName();
                dropConnection();
            }
            if (attempt < maxAttempts) {
                LOG.debug("HL7 message not acknowledged ({}), attempt {} of {}; again in {} ms", outcome, attempt,
                        maxAttempts, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            } else {
                lastFailure = outcome;
            }
        }
        givenUp.incrementAndGet();
        return false;
    }

    private Connection connection() throws HL7Exception {
        if (connection == null || !connection.isOpen()) {
            connection = context.newClient(host, port, false);
            connection.getInitiator().setTimeout(ackTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return connection;
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("closing the MLLP connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** Why the last message given up was not acknowledged: the ACK code or the exception's class, never a value. */
    public String lastFailure() {
        return lastFailure;
    }

    public int port() {
        return port;
    }

    /** Messages sent, resends included. */
    public long sent() {
        return sent.get();
    }

    /** Messages acknowledged with AA (each counted once). */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Answers that were an error or reject ACK (AE, AR). */
    public long refused() {
        return refused.get();
    }

    /** Attempts without an answer (time-out, connection refused or broken). */
    public long unanswered() {
        return unanswered.get();
    }

    /** Messages given up after the last attempt. */
    public long givenUp() {
        return givenUp.get();
    }

    @Override
    public void close() {
        dropConnection();
        try {
            context.close();
        } catch (java.io.IOException e) {
            LOG.debug("closing the HAPI context: {}", e.toString());
        }
    }
}
