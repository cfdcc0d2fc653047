package io.villa.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.villa.cli.experiment.ComplexityExperiment;
import io.villa.cli.experiment.ExperimentPlan;
import io.villa.report.ExperimentSummary;
import io.villa.trainer.config.PassPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** villa experiment: the paper's experiments, each run through the whole pipeline. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "The paper's experiments, each through the whole pipeline on this machine.",
        subcommands = ExperimentCommand.Complexity.class)
public final class ExperimentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Sizes of the experiment: one that fits this machine in about half an hour, and the paper's. */
    enum Profile {
        QUICK(List.of(4, 8, 16, 32), 24_000, 3_000, 3_000, 5, 45),
        PAPER(List.of(6, 11, 16, 21, 26, 32), 30_000, 10_000, 10_000, 100, 48 * 60);

        final List<Integer> complexities;
        final long trainBudget;
        final long valBudget;
        final long testBudget;
        final int passes;
        final double timeLimitMinutes;

        Profile(
                List<Integer> complexities,
                long trainBudget,
                long valBudget,
                long testBudget,
                int passes,
                double timeLimitMinutes) {
            this.complexities = complexities;
            this.trainBudget = trainBudget;
            this.valBudget = valBudget;
            this.testBudget = testBudget;
            this.passes = passes;
            this.timeLimitMinutes = timeLimitMinutes;
        }
    }

    @Command(
            name = "complexity",
            mixinStandardHelpOptions = true,
            description = {
                "Retrieval as the training data's sample complexity grows (the paper's DocMNIST experiment).",
                "For each target complexity (and seed), DocMNIST with the same train attribute budget goes through the",
                "whole pipeline as in villa demo: embedded broker, the decomposition job with its online mapping model,",
                "the villa and the clip trainer with equal passes and early stopping. Every cell is scored on one shared",
                "test set. Writes <out>/experiment.json and <out>/report.html after every finished cell (each cell's own",
                "report in <out>/c<complexity>-s<seed>/). A run cut short keeps what it finished: --resume <out>",
                "continues it. Profiles: quick (default; about 30 minutes on 2 cores) and paper (the paper's budgets)."
            })
    static final class Complexity implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(
                names = "--profile",
                defaultValue = "quick",
                description = "quick or paper: the defaults of the options below (default ${DEFAULT-VALUE})")
        Profile profile;

        @Option(
                names = "--complexities",
                split = ",",
                paramLabel = "N,N,...",
                description = "target sample complexities, 4..36 (quick: 4,8,16,32; paper: 6,11,16,21,26,32)")
        List<Integer> complexities;

        @Option(
                names = "--seeds",
                split = ",",
                paramLabel = "SEED,...",
                defaultValue = "42",
                description = "seeds of data and models; several give error bars (default ${DEFAULT-VALUE})")
        List<Long> seeds;

        @Option(
                names = "--train-budget",
                paramLabel = "PAIRS",
                description = "train attribute budget of every cell (quick: 24000; paper: 30000)")
        Long trainBudget;

        @Option(
                names = "--val-budget",
                paramLabel = "PAIRS",
                description = "validation attribute budget (quick: 3000; paper: 10000)")
        Long valBudget;

        @Option(
                names = "--test-budget",
                paramLabel = "PAIRS",
                description = "attribute budget of the shared test set (quick: 3000; paper: 10000)")
        Long testBudget;

        @Option(
                names = "--test-complexity",
                paramLabel = "N",
                defaultValue = "16",
                description = "target complexity of the shared test set (default ${DEFAULT-VALUE})")
        int testComplexity;

        @Option(
                names = "--test-seed",
                defaultValue = "1",
                description = "seed of the shared test set (default ${DEFAULT-VALUE})")
        long testSeed;

        @Option(
                names = "--passes",
                description =
                        "most passes of each trainer over its pairs, the same for both modes (quick: 5; paper: 100)")
        Integer passes;

        @Option(
                names = "--patience",
                defaultValue = "5",
                description =
                        "early stopping: passes without a better validation text->region R-precision (default ${DEFAULT-VALUE})")
        int patience;

        @Option(
                names = "--warmup-pairs",
                defaultValue = "512",
                description =
                        "train pairs the mapping model learns from before it decomposes anything (default ${DEFAULT-VALUE})")
        int warmupPairs;

        @Option(
                names = "--time-limit",
                paramLabel = "MINUTES",
                description = "stop after this long, keeping the finished cells (quick: 45; paper: 2880)")
        Double timeLimitMinutes;

        @Option(names = "--out", description = "output directory (default runs/experiment-<time>)")
        Path out;

        @Option(
                names = "--resume",
                paramLabel = "DIR",
                description = "continue the experiment in DIR with its own settings (only --time-limit applies)")
        Path resume;

        @Option(
                names = "--no-status",
                description = "print the status block every 10 s instead of redrawing it in place")
        boolean noStatus;

        @Override
        public Integer call() throws Exception {
            Duration limit = Duration.ofMillis((long) (orDefault(timeLimitMinutes, profile.timeLimitMinutes) * 60_000));
            ComplexityExperiment experiment;
            if (resume != null) {
                experiment = ComplexityExperiment.resume(resume, limit, !noStatus, System.out);
            } else {
                ExperimentPlan plan;
                try {
                    plan = ExperimentPlan.builder()
                            .setComplexities(orDefault(complexities, profile.complexities))
                            .setSeeds(seeds)
                            .setBudgets(
                                    orDefault(trainBudget, profile.trainBudget),
                                    orDefault(valBudget, profile.valBudget),
                                    orDefault(testBudget, profile.testBudget))
                            .setPasses(new PassPlan(orDefault(passes, profile.passes), patience))
                            .setTimeLimit(limit)
                            .optTestSet(testComplexity, testSeed)
                            .optWarmupPairs(warmupPairs)
                            .build();
                } catch (IllegalArgumentException bad) {
                    throw new ParameterException(spec.commandLine(), bad.getMessage());
                }
                Path dir = out != null
                        ? out
                        : Path.of(
                                "runs",
                                "experiment-"
                                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                experiment = ComplexityExperiment.start(plan, dir, !noStatus, System.out);
            }
            ExperimentSummary summary = experiment.run();
            printEnd(summary, experiment.dir());
            return experiment.interrupted() ? 130 : 0;
        }

        private void printEnd(ExperimentSummary s, Path dir) {
            var w = spec.commandLine().getOut();
            w.printf(
                    Locale.ROOT,
                    "%nvilla experiment complexity %s: %d cells, %.0f s%n",
                    s.stoppedEarly() ? "stopped early" : "finished",
                    s.cells().size(),
                    s.wallSeconds());
            for (ExperimentSummary.Row r : s.rows()) {
                w.printf(
                        Locale.ROOT,
                        "  complexity %2d (average %.1f, %d seed%s)",
                        r.targetComplexity(),
                        r.averageComplexity().mean(),
                        r.seeds(),
                        r.seeds() == 1 ? "" : "s");
                r.modes()
                        .forEach((mode, m) -> w.printf(
                                Locale.ROOT,
                                " | %s t2r %.3f r2t %.3f",
                                mode,
                                mean(m, "t2r.rprecision"),
                                mean(m, "r2t.rprecision")));
                w.println();
            }
            ExperimentSummary.Shape shape = s.shape();
            w.printf(Locale.ROOT, "  the paper's shape %s%n", shape.holds() ? "holds" : "does not hold");
            shape.notes().forEach(n -> w.println("    " + n));
            w.println("  report:     " + dir.resolve("report.html").toAbsolutePath());
            w.println("  experiment: " + dir.resolve("experiment.json").toAbsolutePath());
            w.flush();
        }

        private static double mean(java.util.Map<String, ExperimentSummary.Stat> m, String key) {
            ExperimentSummary.Stat s = m.get(key);
            return s == null ? Double.NaN : s.mean();
        }

        private static <T> T orDefault(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
