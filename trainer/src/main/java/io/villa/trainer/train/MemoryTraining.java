package io.villa.trainer.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;

/**
 * Trains a model from examples held in memory for a fixed number of steps (reshuffled every pass,
 * seeded). Used to compare modes on the same budget and as the "from memory" side of the
 * Kafka-versus-memory throughput figure.
 */
public final class MemoryTraining {

    private MemoryTraining() {
    }

    /** @param seconds wall time of the steps alone */
    public record Result(long steps, long samples, long regions, double seconds, float firstLoss, float lastLoss) {
        public double regionsPerSecond() {
            return regions / seconds;
        }

        public double samplesPerSecond() {
            return samples / seconds;
        }
    }

    public static Result run(ContrastiveModel model, List<Example> examples, long steps, long seed, TrainingListener listener) {
        int batchSize = model.settings().batchSize();
        if (examples.size() < 2) {
            throw new IllegalArgumentException("need at least 2 training examples, got " + examples.size());
        }
        List<Example> order = new ArrayList<>(examples);
        Random random = new Random(seed);
        Collections.shuffle(order, random);
        int next = 0;
        long samples = 0;
        long regions = 0;
        float first = Float.NaN;
        float lastSum = 0;
        int lastCount = 0;
        long t0 = System.nanoTime();
        for (long step = 1; step <= steps; step++) {
            if (next + batchSize > order.size()) {
                Collections.shuffle(order, random);
                next = 0;
            }
            List<Example> batch = order.subList(next, Math.min(order.size(), next + batchSize));
            next += batch.size();
            float loss = model.trainStep(batch);
            if (step == 1) {
                first = loss;
            }
            if (step > steps - Math.max(1, steps / 20)) {
                lastSum += loss;
                lastCount++;
            }
            samples += batch.size();
            regions += batch.stream().filter(e -> !e.wholeImage()).count();
            listener.onStep(step, loss, batch.stream().map(Example::key).toList());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(steps, samples, regions, seconds, first, lastSum / Math.max(1, lastCount));
    }
}
