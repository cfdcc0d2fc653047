package io.villa.producers.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.villa.producers.ingest.IngestFailure;

/**
 * What a produce run did: records acknowledged by Kafka, their bytes, and every input that failed with its reason.
 * Thread-safe (delivery callbacks run on the producer's I/O thread).
 */
public final class ProduceSummary {

    /** One failed input: its name, the reason, the message (never report text or pixels). */
    public record Failure(String input, String reason, String message) {
    }

    private long sent;
    private long bytes;
    private final List<Failure> failures = new ArrayList<>();
    private final Map<IngestFailure.Reason, Long> byReason = new EnumMap<>(IngestFailure.Reason.class);
    private long deliveryFailures;
    private long elapsedNanos;

    synchronized void recordSent(long recordBytes) {
        sent++;
        bytes += recordBytes;
    }

    synchronized void recordFailure(String input, IngestFailure failure) {
        byReason.merge(failure.reason(), 1L, Long::sum);
        failures.add(new Failure(input, failure.reason().name(), failure.getMessage()));
    }

    synchronized void recordDeliveryFailure(String input, Exception error) {
        deliveryFailures++;
        failures.add(new Failure(input, "KAFKA_DELIVERY", error.getClass().getSimpleName() + ": " + error.getMessage()));
    }

    synchronized void finish(long nanos) {
        elapsedNanos = nanos;
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized List<Failure> failures() {
        return Collections.unmodifiableList(new ArrayList<>(failures));
    }

    public synchronized long failed() {
        return failures.size();
    }

    public synchronized Map<IngestFailure.Reason, Long> failuresByReason() {
        return new EnumMap<>(byReason);
    }

    public synchronized long deliveryFailures() {
        return deliveryFailures;
    }

    public synchronized double seconds() {
        return elapsedNanos / 1e9;
    }

    public synchronized double recordsPerSecond() {
        return elapsedNanos == 0 ? 0 : sent / seconds();
    }

    public synchronized double megabytesPerSecond() {
        return elapsedNanos == 0 ? 0 : bytes / 1e6 / seconds();
    }

    /** A readable summary naming every failed input (at most {@code maxListed}) with its reason. */
    public synchronized String format(int maxListed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "sent %d records (%.1f MB) in %.1f s: %.0f records/s, %.2f MB/s%n", sent,
                bytes / 1e6, seconds(), recordsPerSecond(), megabytesPerSecond()));
        out.append(String.format(Locale.ROOT, "failed %d inputs (written to the dead-letter topic)%n", failures.size()));
        byReason.forEach((reason, count) -> out.append(String.format(Locale.ROOT, "  %-18s %d%n", reason, count)));
        if (deliveryFailures > 0) {
            out.append(String.format(Locale.ROOT, "  %-18s %d%n", "KAFKA_DELIVERY", deliveryFailures));
        }
        failures.stream().limit(maxListed).forEach(f -> out.append("  ").append(f.input()).append(": ").append(f.message()).append('\n'));
        if (failures.size() > maxListed) {
            out.append(String.format(Locale.ROOT, "  ... and %d more%n", failures.size() - maxListed));
        }
        return out.toString();
    }
}
