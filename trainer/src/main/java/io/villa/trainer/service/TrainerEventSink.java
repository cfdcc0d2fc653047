package io.villa.trainer.service;

import io.villa.records.TrainerEvent;

/** Where the trainer announces checkpoints, metrics and its end (the trainer-events topic). */
public interface TrainerEventSink extends AutoCloseable {

    void publish(TrainerEvent event);

    @Override
    default void close() {
    }

    TrainerEventSink NONE = event -> { };
}
