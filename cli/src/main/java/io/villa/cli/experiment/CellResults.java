package io.villa.cli.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import io.villa.producers.docmnist.DocMnistStats;
import io.villa.report.ExperimentSummary;
import io.villa.report.RunSummary;

/** One finished cell's figures, taken from its demo run's summary and its data's statistics. */
final class CellResults {

    /** The mapping model's figures come from its last held-out scoring when there is one: the final model, same complexity. */
    static final String HELD_OUT = "HELDOUT";
    static final String TEST = "TEST";

    private CellResults() {
    }

    static ExperimentSummary.Cell of(ExperimentPlan.Cell cell, RunSummary run, DocMnistStats train, String runDir) {
        RunSummary.MappingSummary mapping = run.mapping();
        String split = mapping.quality().containsKey(HELD_OUT) ? HELD_OUT : TEST;
        Map<String, Double> quality = new LinkedHashMap<>();
        mapping.quality().getOrDefault(split, Map.of()).forEach((k, v) -> {
            if (!k.equals("imagesScored")) {
                quality.put(k, v);
            }
        });
        Map<String, ExperimentSummary.ModeResult> modes = new LinkedHashMap<>();
        for (RunSummary.ModelSummary m : run.models()) {
            modes.put(m.mode(), new ExperimentSummary.ModeResult(m.steps(), m.passes(), m.bestPass(), m.test()));
        }
        return new ExperimentSummary.Cell(cell.complexity(), cell.seed(), train.averageComplexity(), train.images(),
                run.wallSeconds(), runDir, quality, mapping.qualityByType().getOrDefault(split, Map.of()), modes);
    }
}
