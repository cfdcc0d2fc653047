package io.villa.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import io.villa.trainer.config.PassPlan;
import io.villa.trainer.data.Example;
import io.villa.trainer.eval.RetrievalEvaluator;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;

/**
 * Trains a model from examples held in memory: for a number of passes with early stopping (how modes are compared on
 * equal budgets), or for a fixed number of steps (the "from memory" side of the Kafka-versus-memory throughput figure).
 *
 * <p>Batches keep each pair's examples together, in a seeded random order of pairs reshuffled every pass: the order
 * the trainer reads a topic in (the decomposition job writes a pair's records together), so a batch holds as many
 * whole images as it would from Kafka, and each runs through the backbone once.
 */
public final class MemoryTraining {

    private MemoryTraining() {}

    /** @param seconds wall time of the steps alone */
    public record Result(long steps, long samples, long regions, double seconds, float firstLoss, float lastLoss) {
        public double regionsPerSecond() {
            return regions / seconds;
        }

        public double samplesPerSecond() {
            return samples / seconds;
        }
    }

    /**
     * @param training    steps, samples and losses of every pass together
     * @param passes      passes trained
     * @param bestPass    the pass whose model measured best on validation (early stopping's pick)
     * @param stoppedEarly whether early stopping ended it before the plan's last pass
     * @param best        the validation report of the best pass's model
     * @param perPass     validation text->region R-precision at the end of each pass
     */
    public record PassesResult(
            Result training,
            int passes,
            int bestPass,
            boolean stoppedEarly,
            RetrievalReport best,
            List<Double> perPass) {}

    /** A fixed number of steps (the data reshuffled by pairs whenever it runs out). */
    public static Result run(
            ContrastiveModel model, List<Example> examples, long steps, long seed, TrainingListener listener) {
        requireTwo(examples);
        int batchSize = model.config().batchSize();
        Random random = new Random(seed);
        List<Example> order = pairOrder(examples, random);
        Steps counter = new Steps(steps);
        int next = 0;
        for (long step = 1; step <= steps; step++) {
            if (next + batchSize > order.size()) {
                order = pairOrder(examples, random);
                next = 0;
            }
            List<Example> batch = order.subList(next, Math.min(order.size(), next + batchSize));
            next += batch.size();
            counter.train(model, batch, listener);
        }
        return counter.result();
    }

    /**
     * Up to {@code plan.passes()} passes over {@code train}, each ended by an evaluation on {@code validation}; stops
     * early after {@code plan.patience()} passes without a new best.
     *
     * @param keepBest where to write the best model (a checkpoint-style directory that must exist), or empty
     */
    public static PassesResult passes(
            ContrastiveModel model,
            List<Example> train,
            List<Example> validation,
            PassPlan plan,
            long seed,
            TrainingListener listener,
            Optional<Path> keepBest)
            throws IOException {
        requireTwo(train);
        int batchSize = model.config().batchSize();
        Random random = new Random(seed);
        EarlyStopping early = new EarlyStopping(plan.patience());
        Steps counter = new Steps(Long.MAX_VALUE);
        List<Double> perPass = new ArrayList<>();
        RetrievalReport best = null;
        int pass = 0;
        while (pass < plan.passes() && !early.shouldStop()) {
            pass++;
            List<Example> order = pairOrder(train, random);
            for (int from = 0; from + 2 <= order.size(); from += batchSize) { // a lone last example sits this pass out
                counter.train(model, order.subList(from, Math.min(order.size(), from + batchSize)), listener);
            }
            RetrievalReport report = RetrievalEvaluator.evaluate(model, validation);
            double metric = report.regions() == 0 ? Double.NaN : report.get(RetrievalReport.T2R_RPREC);
            perPass.add(metric);
            if (early.record(pass, metric) || best == null) {
                best = report;
                if (keepBest.isPresent()) {
                    model.writeState(keepBest.get());
                }
            }
        }
        return new PassesResult(
                counter.result(),
                pass,
                early.bestPass() == 0 ? pass : early.bestPass(),
                early.shouldStop() && pass < plan.passes(),
                best,
                perPass);
    }

    /** The examples with each pair's together, pairs in random order. */
    static List<Example> pairOrder(List<Example> examples, Random random) {
        Map<String, List<Example>> byPair = new LinkedHashMap<>();
        for (Example e : examples) {
            byPair.computeIfAbsent(e.pairId(), k -> new ArrayList<>()).add(e);
        }
        List<List<Example>> pairs = new ArrayList<>(byPair.values());
        Collections.shuffle(pairs, random);
        List<Example> out = new ArrayList<>(examples.size());
        pairs.forEach(out::addAll);
        return out;
    }

    private static void requireTwo(List<Example> examples) {
        if (examples.size() < 2) {
            throw new IllegalArgumentException("need at least 2 training examples, got " + examples.size());
        }
    }

    /** Counts steps, samples and regions, and keeps the first loss and the mean of the last 5% of a planned run. */
    private static final class Steps {
        private final long planned;
        private final long t0 = System.nanoTime();
        private long steps;
        private long samples;
        private long regions;
        private float first = Float.NaN;
        private float last = Float.NaN;
        private double lastSum;
        private int lastCount;

        Steps(long planned) {
            this.planned = planned;
        }

        void train(ContrastiveModel model, List<Example> batch, TrainingListener listener) {
            float loss = model.trainStep(batch);
            steps++;
            if (steps == 1) {
                first = loss;
            }
            last = loss;
            if (planned != Long.MAX_VALUE && steps > planned - Math.max(1, planned / 20)) {
                lastSum += loss;
                lastCount++;
            }
            samples += batch.size();
            regions += batch.stream().filter(e -> !e.wholeImage()).count();
            listener.onStep(steps, loss, batch.stream().map(Example::key).toList());
        }

        Result result() {
            float end = lastCount > 0 ? (float) (lastSum / lastCount) : last;
            return new Result(steps, samples, regions, (System.nanoTime() - t0) / 1e9, first, end);
        }
    }
}
