package io.villa.flink.io;

import org.apache.flink.util.OutputTag;

import io.villa.kafka.DeadLetters;
import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/** The side output every operator sends rejected input to, already encoded as a {@link DeadLetter}. */
public final class DeadLetterOutput {

    public static final OutputTag<KeyedBytes> TAG = new OutputTag<>("dead-letters") { };

    private DeadLetterOutput() {
    }

    public static KeyedBytes of(String stage, RawRecord raw, Throwable error) {
        DeadLetter letter = DeadLetters.forRecord(stage, raw.topic, raw.partition, raw.offset, raw.key, raw.value, error);
        return new KeyedBytes(raw.key, Codecs.DEAD_LETTER.encode(letter));
    }

    public static KeyedBytes of(String stage, String topic, int partition, long offset, byte[] key, byte[] value, Throwable error) {
        return of(stage, new RawRecord(topic, partition, offset, 0L, key, value), error);
    }
}
