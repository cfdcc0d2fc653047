package io.villa.djl;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * DJL's PyTorch engine allows one gradient collector per process at a time (PtGradientCollector
 * refuses a second one). Models that train side by side in one JVM (the demo's mapping model and
 * trainers, two mapping subtasks in one TaskManager) take turns through this lock, one whole step each.
 */
public final class TrainingSteps {

    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);

    private TrainingSteps() {}

    /**
     * The one training step every model here takes, as DJL's own {@code EasyTrain} does: forward with the labels, the
     * trainer's loss, backward, optimizer step, all while no other model trains.
     *
     * @return the batch's loss
     */
    public static float step(Trainer trainer, NDList inputs, NDList labels) {
        return exclusively(() -> {
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(inputs, labels);
                NDArray value = trainer.getLoss().evaluate(labels, predictions);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        });
    }

    /** Runs one training step (gradient collection, backward, optimizer step) while no other model trains. */
    public static <T> T exclusively(Supplier<T> step) {
        ONE_AT_A_TIME.lock();
        try {
            return step.get();
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }
}
