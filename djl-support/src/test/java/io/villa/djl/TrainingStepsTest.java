package io.villa.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** Training steps with the real PyTorch engine. */
class TrainingStepsTest {

    /** y = w x with w = 0, x = 1, y = 2, L2 loss (half the squared error), plain SGD at 0.1: w goes 0 -> 0.2. */
    @Test
    void aStepReturnsTheLossBeforeItAndMovesTheWeightDownhill() {
        EngineSetup.start(1);
        try (Model model = Model.newInstance("one-weight")) {
            model.setBlock(Linear.builder().setUnits(1).optBias(false).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(0.1f))
                            .build())
                    .optInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1));
                NDManager m = trainer.getManager();
                NDList x = new NDList(m.create(new float[] {1f}, new Shape(1, 1)));
                NDList y = new NDList(m.create(new float[] {2f}, new Shape(1, 1)));

                float first = TrainingSteps.step(trainer, x, y);
                float second = TrainingSteps.step(trainer, x, y);

                assertThat(first).isCloseTo(2f, within(1e-6f)); // (2 - 0)^2 / 2
                assertThat(second).isCloseTo(1.62f, within(1e-5f)); // (2 - 0.2)^2 / 2
            }
        }
    }

    /** Two threads that each collect gradients: with the lock, neither is refused. */
    @Test
    void concurrentTrainingStepsTakeTurns() throws Exception {
        EngineSetup.start(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try (NDManager manager = NDManager.newBaseManager()) {
                    for (int i = 0; i < 50; i++) {
                        float grad = TrainingSteps.exclusively(() -> {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            NDArray x = manager.create(new float[] {1f, 2f, 3f});
                            x.setRequiresGradient(true);
                            try (GradientCollector collector =
                                    Engine.getEngine("PyTorch").newGradientCollector()) {
                                collector.backward(x.mul(x).sum());
                            }
                            inside.decrementAndGet();
                            return x.getGradient().getFloat(2);
                        });
                        assertThat(grad).isEqualTo(6f);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        assertThat(mostInside.get()).isEqualTo(1);
    }
}
