package io.villa.flink.io;

import org.apache.flink.util.OutputTag;

import io.villa.kafka.DeadLetters;
import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/** The side output every operator sends rejected input to, already encoded as a {@link DeadLetter}. */
public final class DeadLetterOutput {

    public static final OutputTag<KeyedBytes> TAG = new OutputTag<>("dead-letters") { };

    /** Longest Kafka key a dead letter keeps: the key is copied into the letter and used as its own key. */
    static final int MAX_KEY_BYTES = 1024;

    private DeadLetterOutput() {
    }

    /**
     * The dead letter of {@code raw}, no larger than {@code maxBytes} encoded (the dead-letter sink's limit): an
     * oversized original value or key is left out, and the letter says so (see {@link DeadLetters#fitTo}).
     */
    public static KeyedBytes of(String stage, RawRecord raw, Throwable error, int maxBytes) {
        DeadLetter letter = DeadLetters.fitTo(
                DeadLetters.forRecord(stage, raw.topic, raw.partition, raw.offset, raw.key, raw.value, error), maxBytes);
        byte[] key = raw.key != null && raw.key.length > MAX_KEY_BYTES ? java.util.Arrays.copyOf(raw.key, MAX_KEY_BYTES) : raw.key;
        return new KeyedBytes(key, Codecs.DEAD_LETTER.encode(letter));
    }

    public static KeyedBytes of(String stage, String topic, int partition, long offset, byte[] key, byte[] value, Throwable error,
                                int maxBytes) {
        return of(stage, new RawRecord(topic, partition, offset, 0L, key, value), error, maxBytes);
    }
}
