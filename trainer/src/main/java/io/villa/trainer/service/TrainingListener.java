package io.villa.trainer.service;

import java.util.List;

/** Hooks for tests and tools: what was trained at each step. */
public interface TrainingListener {

    /** @param keys the records (pairId#regionIndex) of the batch, in order */
    void onStep(long step, float loss, List<String> keys);

    TrainingListener NONE = (step, loss, keys) -> { };
}
