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
        require(!complexities.isEmpty(), "complexities: give at least one");
        for (int c : complexities) {
            require(
                    c >= DocMnistConfig.MIN_COMPLEXITY && c <= DocMnistConfig.MAX_COMPLEXITY,
                    "complexities: " + c + " is outside " + DocMnistConfig.MIN_COMPLEXITY + ".."
                            + DocMnistConfig.MAX_COMPLEXITY);
        }
        require(
                complexities.stream().distinct().count() == complexities.size(),
                "complexities: " + complexities + " repeats one");
        complexities = complexities.stream().sorted().toList();
        require(!seeds.isEmpty(), "seeds: give at least one");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds: " + seeds + " repeats one");
        require(trainBudget > 0, "train budget must be positive, not " + trainBudget);
        require(valBudget > 0, "validation budget must be positive, not " + valBudget);
        require(testBudget > 0, "test budget must be positive, not " + testBudget);
        require(
                testComplexity >= DocMnistConfig.MIN_COMPLEXITY && testComplexity <= DocMnistConfig.MAX_COMPLEXITY,
                "test complexity must be in " + DocMnistConfig.MIN_COMPLEXITY + ".." + DocMnistConfig.MAX_COMPLEXITY
                        + ", not " + testComplexity);
        require(passes != null, "passes must be set");
        require(warmupPairs > 0, "warm-up pairs must be positive, not " + warmupPairs);
        require(timeLimit != null && timeLimit.toSeconds() > 0, "time limit must be positive, not " + timeLimit);
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
        return new ExperimentPlan(
                split(m, "complexities").stream().map(Integer::parseInt).toList(),
                split(m, "seeds").stream().map(Long::parseLong).toList(),
                longOf(m, "trainBudget"),
                longOf(m, "valBudget"),
                longOf(m, "testBudget"),
                (int) longOf(m, "testComplexity"),
                longOf(m, "testSeed"),
                new PassPlan((int) longOf(m, "passes"), (int) longOf(m, "patience")),
                (int) longOf(m, "warmupPairs"),
                timeLimit);
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
