package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.villa.trainer.config.TrainerSettings;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.data.Example;
import io.villa.trainer.eval.RetrievalEvaluator;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;
import io.villa.trainer.train.MemoryTraining;

/**
 * villa mode against clip mode on the same training records, the same seed and the same budget
 * (steps x batch size), evaluated on the same held-out regions.
 */
public final class ModeComparison {

    private ModeComparison() {
    }

    /** One mode's outcome. */
    public record Row(TrainingMode mode, int trainingExamples, MemoryTraining.Result training, RetrievalReport validation,
                      double wallSeconds) {
        public String line() {
            return String.format(Locale.ROOT,
                    "%-5s examples %6d | steps %5d x %d | loss %.3f -> %.3f | t2r R-P %.3f mAP %.3f | r2t R-P %.3f mAP %.3f | wall %.0f s",
                    mode.name().toLowerCase(Locale.ROOT), trainingExamples, training.steps(), training.samples() / Math.max(1, training.steps()),
                    training.firstLoss(), training.lastLoss(), validation.get(RetrievalReport.T2R_RPREC),
                    validation.get(RetrievalReport.T2R_MAP), validation.get(RetrievalReport.R2T_RPREC),
                    validation.get(RetrievalReport.R2T_MAP), wallSeconds);
        }
    }

    public static List<Row> run(TrainerSettings settings, List<Example> train, List<Example> validation, long steps,
                                int cpuThreads, TrainingMode... modes) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (TrainingMode mode : modes) {
            long t0 = System.nanoTime();
            List<Example> data = train.stream().filter(e -> mode.learnsFrom(e.wholeImage())).toList();
            try (ContrastiveModel model = ContrastiveModel.create(settings.withMode(mode), cpuThreads)) {
                MemoryTraining.Result r = MemoryTraining.run(model, data, steps, settings.seed(), TrainingListener.NONE);
                RetrievalReport report = RetrievalEvaluator.evaluate(model, validation);
                rows.add(new Row(mode, data.size(), r, report, (System.nanoTime() - t0) / 1e9));
            }
        }
        return rows;
    }
}
