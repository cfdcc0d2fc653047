package io.villa.cli.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.trainer.config.PassPlan;

/**
 * What a complexity experiment runs: one cell per (seed, target complexity), each the demo's pipeline on DocMNIST with
 * the same attribute budgets, every cell scored on one shared test set. It is written into experiment.json's settings
 * and read back from there when a run resumes, so the resumed run is the same experiment.
 *
 * @param complexities target complexities, ascending
 * @param seeds        data and model seeds; several give error bars
 * @param trainBudget  train attribute budget of every cell (the paper keeps it fixed as complexity grows)
 * @param valBudget    validation attribute budget (early stopping, the mapping model's held-out pairs)
 * @param testBudget   attribute budget of the shared test set
 * @param testComplexity target complexity of the shared test set
 * @param testSeed     seed of the shared test set
 * @param passes       the trainers' passes and early-stopping patience, the same for both modes
 * @param warmupPairs  train pairs the mapping model learns from before it decomposes anything
 * @param timeLimit    the whole run's limit (a resumed run gets it afresh)
 */
public record ExperimentPlan(
        List<Integer> complexities,
        List<Long> seeds,
        long trainBudget,
        long valBudget,
        long testBudget,
        int testComplexity,
        long testSeed,
        PassPlan passes,
        int warmupPairs,
        Duration timeLimit) {

    /** One pipeline run of the experiment. */
    public record Cell(int complexity, long seed) {
        /** Its directory under the experiment's. */
        public String dirName() {
            return "c" + complexity + "-s" + seed;
        }
    }

    public ExperimentPlan {
        complexities = List.copyOf(complexities);
        seeds = List.copyOf(seeds);
        require(!complexities.isEmpty(), "complexities must name at least one, got none");
        for (int c : complexities) {
            require(
                    c >= DocMnistConfig.MIN_COMPLEXITY && c <= DocMnistConfig.MAX_COMPLEXITY,
                    "complexities must be within " + DocMnistConfig.MIN_COMPLEXITY + ".."
                            + DocMnistConfig.MAX_COMPLEXITY + ", got " + c);
        }
        require(
                complexities.stream().distinct().count() == complexities.size(),
                "complexities must not repeat one, got " + complexities);
        complexities = complexities.stream().sorted().toList();
        require(!seeds.isEmpty(), "seeds must name at least one, got none");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds must not repeat one, got " + seeds);
        require(trainBudget > 0, "trainBudget must be > 0, got " + trainBudget);
        require(valBudget > 0, "valBudget must be > 0, got " + valBudget);
        require(testBudget > 0, "testBudget must be > 0, got " + testBudget);
        require(
                testComplexity >= DocMnistConfig.MIN_COMPLEXITY && testComplexity <= DocMnistConfig.MAX_COMPLEXITY,
                "testComplexity must be within " + DocMnistConfig.MIN_COMPLEXITY + ".." + DocMnistConfig.MAX_COMPLEXITY
                        + ", got " + testComplexity);
        require(passes != null, "passes must be set, got null");
        require(warmupPairs > 0, "warmupPairs must be > 0, got " + warmupPairs);
        require(
                timeLimit != null && timeLimit.toSeconds() > 0,
                "timeLimit must be at least a second, got " + timeLimit);
    }

    /** {@code set*}: what an experiment must say; {@code opt*}: the shared test set and warm-up, with defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private List<Integer> complexities;
        private List<Long> seeds;
        private long trainBudget;
        private long valBudget;
        private long testBudget;
        private int testComplexity = 16;
        private long testSeed = 1;
        private PassPlan passes;
        private int warmupPairs = 512;
        private Duration timeLimit;

        private Builder() {}

        public Builder setComplexities(List<Integer> targets) {
            this.complexities = targets;
            return this;
        }

        public Builder setSeeds(List<Long> values) {
            this.seeds = values;
            return this;
        }

        /** Attribute budgets: train and validation of every cell, and the shared test set's. */
        public Builder setBudgets(long train, long val, long test) {
            this.trainBudget = train;
            this.valBudget = val;
            this.testBudget = test;
            return this;
        }

        public Builder setPasses(PassPlan plan) {
            this.passes = plan;
            return this;
        }

        public Builder setTimeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        /** The shared test set: DocMNIST at this complexity and seed (default 16 and 1). */
        public Builder optTestSet(int complexity, long seed) {
            this.testComplexity = complexity;
            this.testSeed = seed;
            return this;
        }

        public Builder optWarmupPairs(int pairs) {
            this.warmupPairs = pairs;
            return this;
        }

        public ExperimentPlan build() {
            require(complexities != null, "complexities must be set");
            require(seeds != null, "seeds must be set");
            return new ExperimentPlan(
                    complexities,
                    seeds,
                    trainBudget,
                    valBudget,
                    testBudget,
                    testComplexity,
                    testSeed,
                    passes,
                    warmupPairs,
                    timeLimit);
        }
    }

    /** Every cell in running order: all complexities of the first seed (a whole curve first), then the next seed. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (long seed : seeds) {
            for (int c : complexities) {
                cells.add(new Cell(c, seed));
            }
        }
        return cells;
    }

    /** The plan as experiment.json's settings. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("complexities", join(complexities));
        m.put("seeds", join(seeds));
        m.put("trainBudget", String.valueOf(trainBudget));
        m.put("valBudget", String.valueOf(valBudget));
        m.put("testBudget", String.valueOf(testBudget));
        m.put("testComplexity", String.valueOf(testComplexity));
        m.put("testSeed", String.valueOf(testSeed));
        m.put("passes", String.valueOf(passes.passes()));
        m.put("patience", String.valueOf(passes.patience()));
        m.put("warmupPairs", String.valueOf(warmupPairs));
        m.put("timeLimitSeconds", String.valueOf(timeLimit.toSeconds()));
        return m;
    }

    /** Reads {@link #asMap} back (a resumed run); the time limit is the new session's. */
    public static ExperimentPlan fromMap(Map<String, String> m, Duration timeLimit) {
        return builder()
                .setComplexities(
                        split(m, "complexities").stream().map(Integer::parseInt).toList())
                .setSeeds(split(m, "seeds").stream().map(Long::parseLong).toList())
                .setBudgets(longOf(m, "trainBudget"), longOf(m, "valBudget"), longOf(m, "testBudget"))
                .setPasses(new PassPlan((int) longOf(m, "passes"), (int) longOf(m, "patience")))
                .setTimeLimit(timeLimit)
                .optTestSet((int) longOf(m, "testComplexity"), longOf(m, "testSeed"))
                .optWarmupPairs((int) longOf(m, "warmupPairs"))
                .build();
    }

    private static List<String> split(Map<String, String> m, String key) {
        return List.of(value(m, key).split(","));
    }

    private static long longOf(Map<String, String> m, String key) {
        return Long.parseLong(value(m, key));
    }

    private static String value(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("experiment.json's settings have no " + key);
        }
        return v.trim();
    }

    private static String join(List<? extends Number> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
