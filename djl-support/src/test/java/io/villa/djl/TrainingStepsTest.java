package io.villa.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/** Two threads that each collect gradients with the real PyTorch engine: with the lock, neither is refused. */
class TrainingStepsTest {

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
                            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
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
