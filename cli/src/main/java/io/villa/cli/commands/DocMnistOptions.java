package io.villa.cli.commands;

import java.nio.file.Path;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistCache;
import io.villa.producers.mnist.MnistDigits;
import picocli.CommandLine.Option;

/** Options that say which DocMNIST to generate; shared by villa docmnist and villa produce docmnist. */
public class DocMnistOptions {

    @Option(
            names = "--seed",
            defaultValue = "" + DocMnistConfig.DEFAULT_SEED,
            description = "Random seed: the same seed gives the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--complexity",
            paramLabel = "N",
            defaultValue = "" + DocMnistConfig.DEFAULT_TARGET_COMPLEXITY,
            description =
                    "Target sample complexity: most region-attribute pairs per image, 4..36 (default: ${DEFAULT-VALUE}).")
    int complexity;

    @Option(
            names = "--train-budget",
            paramLabel = "PAIRS",
            defaultValue = "" + DocMnistConfig.DEFAULT_TRAIN_BUDGET,
            description = "Region-attribute pairs in the train split (default: ${DEFAULT-VALUE}).")
    long trainBudget;

    @Option(
            names = "--val-budget",
            paramLabel = "PAIRS",
            defaultValue = "" + DocMnistConfig.DEFAULT_VAL_BUDGET,
            description = "Region-attribute pairs in the validation split (default: ${DEFAULT-VALUE}).")
    long valBudget;

    @Option(
            names = "--test-budget",
            paramLabel = "PAIRS",
            defaultValue = "" + DocMnistConfig.DEFAULT_TEST_BUDGET,
            description = "Region-attribute pairs in the test split (default: ${DEFAULT-VALUE}).")
    long testBudget;

    @Option(
            names = "--continuous",
            description = "Keep generating new train images (a live feed) instead of stopping at the budget.")
    boolean continuous;

    @Option(
            names = "--mnist-dir",
            paramLabel = "DIR",
            description = "Where the MNIST IDX files are cached (default: $" + MnistCache.ENV_DIR
                    + " or ~/.cache/villa/mnist).")
    Path mnistDir;

    public DocMnistConfig config() {
        return DocMnistConfig.builder()
                .optSeed(seed)
                .optTargetComplexity(complexity)
                .optBudgets(trainBudget, valBudget, testBudget)
                .optContinuous(continuous)
                .build();
    }

    /** Loads MNIST (fetching it first when needed) and builds the generator. */
    public DocMnistGenerator generator() {
        return new DocMnistGenerator(MnistDigits.fromCache(MnistCache.resolve(mnistDir)), config());
    }
}
