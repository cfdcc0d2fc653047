package io.villa.kafka;

/**
 * Kafka failed in a way that would fail every record after it too (see {@link KafkaErrors}): the run stopped, and the
 * message says what stopped, what Kafka said and that nothing after it was sent or dead-lettered.
 */
public final class FatalKafkaException extends RuntimeException {

    /**
     * @param what  what stopped, e.g. {@code produce.folder}
     * @param cause the send's error
     */
    public FatalKafkaException(String what, Throwable cause) {
        super(
                what + " stopped: Kafka failed with " + KafkaErrors.describe(cause)
                        + ". Nothing after it was sent or dead-lettered; fix the cause and run again.",
                KafkaErrors.unwrap(cause));
    }
}
