package io.villa.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/** Builds the {@link DeadLetter} record that says why an input could not be processed. */
public final class DeadLetters {

    /** Longest error message kept: exception messages can quote whole inputs, and a dead letter must stay small. */
    public static final int MAX_MESSAGE_CHARS = 2_000;

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

    /**
     * The letter itself when its encoding fits {@code maxBytes}; otherwise a copy without the original value
     * (and, if still too big, without the original key), saying so in its message. The source topic, partition
     * and offset stay, so the original can still be found; a dead letter that its sink cannot write would
     * fail the stage that tries, which is what dead letters exist to prevent.
     */
    public static DeadLetter fitTo(DeadLetter letter, int maxBytes) {
        if (Codecs.DEAD_LETTER.encode(letter).length <= maxBytes) {
            return letter;
        }
        DeadLetter smaller = DeadLetter.newBuilder(letter)
                .setOriginalValue(null)
                .setErrorMessage(letter.getErrorMessage() + " [original value of " + length(letter.getOriginalValue())
                        + " bytes not copied: over the dead-letter size limit of " + maxBytes + " bytes]")
                .build();
        if (Codecs.DEAD_LETTER.encode(smaller).length <= maxBytes) {
            return smaller;
        }
        return DeadLetter.newBuilder(smaller)
                .setOriginalKey(null)
                .setErrorMessage(smaller.getErrorMessage() + " [original key of " + length(letter.getOriginalKey())
                        + " bytes not copied]")
                .build();
    }

    private static int length(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.remaining();
    }

    private static DeadLetter.Builder base(String stage, Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "... (" + message.length() + " characters)";
        }
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setErrorClass(error.getClass().getName())
                .setErrorMessage(message)
                .setTime(Instant.now());
    }
}
