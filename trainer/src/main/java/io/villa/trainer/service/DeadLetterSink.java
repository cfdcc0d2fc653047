package io.villa.trainer.service;

import io.villa.records.DeadLetter;

/** Where records the trainer cannot use go, with the reason (the dead-letter topic). */
public interface DeadLetterSink extends AutoCloseable {

    void send(DeadLetter letter);

    @Override
    default void close() {
    }
}
