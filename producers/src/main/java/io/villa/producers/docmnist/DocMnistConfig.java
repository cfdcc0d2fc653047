package io.villa.producers.docmnist;

import io.villa.records.Split;

/**
 * What DocMNIST to generate. The budgets default to the reference generator's: 30,000 region-attribute pairs for train,
 * 10,000 for validation (and, our choice, 10,000 for test; the reference makes no test split). The target complexity
 * defaults to 8 (the reference has no default; the paper's main set-up is 16, seed 23).
 *
 * @param seed             makes the data reproducible: the same seed gives the same bytes
 * @param targetComplexity the most region-attribute pairs per image ({@value #MIN_COMPLEXITY}..{@value #MAX_COMPLEXITY};
 *                         each region has 2 or 4)
 * @param trainBudget      region-attribute pairs in the train split
 * @param valBudget        region-attribute pairs in the validation split
 * @param testBudget       region-attribute pairs in the test split
 * @param continuous       keep generating new images (a live feed) instead of stopping at the budget
 */
public record DocMnistConfig(
        long seed, int targetComplexity, long trainBudget, long valBudget, long testBudget, boolean continuous) {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_TARGET_COMPLEXITY = 8;
    public static final long DEFAULT_TRAIN_BUDGET = 30_000;
    public static final long DEFAULT_VAL_BUDGET = 10_000;
    public static final long DEFAULT_TEST_BUDGET = 10_000;
    /** 9 cells of at most 4 attributes each. */
    public static final int MAX_COMPLEXITY = 36;
    /** Below 4, an image whose first region has a shape would be empty (the reference would emit it; we refuse). */
    public static final int MIN_COMPLEXITY = 4;

    public DocMnistConfig {
        if (targetComplexity < MIN_COMPLEXITY || targetComplexity > MAX_COMPLEXITY) {
            throw new IllegalArgumentException("targetComplexity must be within " + MIN_COMPLEXITY + ".."
                    + MAX_COMPLEXITY + ", got " + targetComplexity);
        }
        budget("trainBudget", trainBudget);
        budget("valBudget", valBudget);
        budget("testBudget", testBudget);
    }

    private static void budget(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    public static DocMnistConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .optSeed(seed)
                .optTargetComplexity(targetComplexity)
                .optBudgets(trainBudget, valBudget, testBudget)
                .optContinuous(continuous);
    }

    public long budget(Split split) {
        return switch (split) {
            case TRAIN -> trainBudget;
            case VAL -> valBudget;
            case TEST -> testBudget;
        };
    }

    /** Everything is optional ({@code opt*}, defaults above); {@link #build} checks the values, naming the bad field. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private int targetComplexity = DEFAULT_TARGET_COMPLEXITY;
        private long trainBudget = DEFAULT_TRAIN_BUDGET;
        private long valBudget = DEFAULT_VAL_BUDGET;
        private long testBudget = DEFAULT_TEST_BUDGET;
        private boolean continuous;

        private Builder() {}

        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        public Builder optTargetComplexity(int target) {
            this.targetComplexity = target;
            return this;
        }

        /** Region-attribute pairs of the train, validation and test splits. */
        public Builder optBudgets(long train, long val, long test) {
            this.trainBudget = train;
            this.valBudget = val;
            this.testBudget = test;
            return this;
        }

        /** Keep generating new images (a live feed) instead of stopping at the budget. */
        public Builder optContinuous(boolean keepGoing) {
            this.continuous = keepGoing;
            return this;
        }

        public DocMnistConfig build() {
            return new DocMnistConfig(seed, targetComplexity, trainBudget, valBudget, testBudget, continuous);
        }
    }
}
