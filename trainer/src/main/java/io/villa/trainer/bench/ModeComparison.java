package io.villa.trainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.data.Example;
import io.villa.trainer.eval.RetrievalEvaluator;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;
import io.villa.trainer.train.MemoryTraining;

/**
 * villa mode against clip mode on equal budgets, as in the paper: the same passes over the same pairs, the same seed,
 * each mode stopping early on its own validation text->region R-precision (the best pass's model is scored), both
 * evaluated on the same held-out regions with the same region pooling. The best pass's model is then scored once on
 * the test split, which took no part in choosing it. villa learns from more examples per pass
 * (every region and every whole image), so it takes more steps: steps are reported, not equalised.
 */
public final class ModeComparison {

    private ModeComparison() {}

    /** One mode's outcome. */
    public record Row(
            TrainingMode mode,
            int trainingExamples,
            MemoryTraining.PassesResult result,
            RetrievalReport test,
            double wallSeconds) {
        public RetrievalReport validation() {
            return result.best();
        }

        public String line() {
            MemoryTraining.Result t = result.training();
            return String.format(
                    Locale.ROOT,
                    "%-5s examples %6d | %d passes%s, best pass %d | steps %5d x %d | loss %.3f -> %.3f"
                            + " | VAL t2r R-P %.3f r2t R-P %.3f | TEST t2r R-P %.3f mAP %.3f r2t R-P %.3f mAP %.3f"
                            + " | wall %.0f s",
                    mode.name().toLowerCase(Locale.ROOT),
                    trainingExamples,
                    result.passes(),
                    result.stoppedEarly() ? " (stopped early)" : "",
                    result.bestPass(),
                    t.steps(),
                    t.samples() / Math.max(1, t.steps()),
                    t.firstLoss(),
                    t.lastLoss(),
                    validation().get(RetrievalReport.T2R_RPREC),
                    validation().get(RetrievalReport.R2T_RPREC),
                    test.get(RetrievalReport.T2R_RPREC),
                    test.get(RetrievalReport.T2R_MAP),
                    test.get(RetrievalReport.R2T_RPREC),
                    test.get(RetrievalReport.R2T_MAP),
                    wallSeconds);
        }
    }

    public static List<Row> run(
            TrainerConfig settings,
            List<Example> train,
            List<Example> validation,
            List<Example> test,
            PassPlan plan,
            int cpuThreads,
            TrainingMode... modes)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        for (TrainingMode mode : modes) {
            long t0 = System.nanoTime();
            List<Example> data =
                    train.stream().filter(e -> mode.learnsFrom(e.wholeImage())).toList();
            Path best = Files.createTempDirectory("villa-best-" + mode.name().toLowerCase(Locale.ROOT));
            try {
                MemoryTraining.PassesResult r;
                try (ContrastiveModel model = ContrastiveModel.create(
                        settings.toBuilder().optMode(mode).build(), cpuThreads)) {
                    r = MemoryTraining.passes(
                            model, data, validation, plan, settings.seed(), TrainingListener.NONE, Optional.of(best));
                }
                RetrievalReport onTest;
                try (ContrastiveModel bestModel = ContrastiveModel.load(best, settings.device(), cpuThreads)) {
                    onTest = RetrievalEvaluator.evaluate(bestModel, test);
                }
                rows.add(new Row(mode, data.size(), r, onTest, (System.nanoTime() - t0) / 1e9));
            } finally {
                deleteTree(best);
            }
        }
        return rows;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
