package io.villa.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.villa.records.DeadLetter;

/** Builds the {@link DeadLetter} record that says why an input could not be processed. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** For a Kafka record that a stage could not process. */
    public static DeadLetter forRecord(String stage, String topic, int partition, long offset,
                                       byte[] key, byte[] value, Throwable error) {
        return base(stage, error)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .build();
    }

    /** For an input that never became a record (a file, a manifest line), described by {@code input}. */
    public static DeadLetter forInput(String stage, String input, byte[] key, Throwable error) {
        return base(stage, error)
                .setInput(input)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .build();
    }

    private static DeadLetter.Builder base(String stage, Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setErrorClass(error.getClass().getName())
                .setErrorMessage(message)
                .setTime(Instant.now());
    }
}
