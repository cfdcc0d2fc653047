package io.villa.cli.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.flink.annotation.VisibleForTesting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a request that the command's own thread answers, instead of the
 * JVM's shutdown: a shutdown hook would run beside Flink's own hooks (blob server, temp directories), which tear the
 * MiniCluster down under a savepoint in progress. After the first signal the JVM's handlers are back, so a second
 * one ends the process at once (the last retained checkpoint stays).
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"INT", "TERM"};

    private final CompletableFuture<String> received = new CompletableFuture<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                signals.previous.put(signal, Signal.handle(signal, signals::onSignal));
            } catch (IllegalArgumentException e) {
                // e.g. the JVM runs with -Xrs, or the signal is in use: the JVM's usual handling stays
                LOG.warn("cannot handle SIG{} ({}): it ends the process without a savepoint", name, e.getMessage());
            }
        }
        return signals;
    }

    /** Completes with the signal's name (SIGINT, SIGTERM) when the first one arrives. */
    CompletableFuture<String> received() {
        return received;
    }

    private void onSignal(Signal signal) {
        restore();
        received.complete("SIG" + signal.getName());
    }

    /** As if the process got {@code name}: for tests, which must not signal their own JVM. */
    @VisibleForTesting
    void simulate(String name) {
        restore();
        received.complete(name);
    }

    private synchronized void restore() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot restore the handler of SIG{}: {}", signal.getName(), e.getMessage());
            }
        });
        previous.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
