package io.villa.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.villa.records.TrainerEvent;
import io.villa.report.RunSummary;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.service.TrainingService;

/**
 * Turns what a demo run saw into its {@link RunSummary}: final figures from the trainers' outcomes and
 * the last status, curves from the events the monitor kept.
 */
final class DemoSummary {

    private static final List<String> SPLITS = List.of("TRAIN", "VAL", "TEST");
    private static final List<String> CURVE_METRICS = List.of(RetrievalReport.T2R_RPREC, RetrievalReport.R2T_RPREC);

    private DemoSummary() {
    }

    /** A trainer's result: its outcome, or none when it failed or never ran. */
    record TrainerResult(String mode, String modelId, Optional<TrainingService.Outcome> outcome) {
    }

    static RunSummary build(String started, double wallSeconds, boolean stoppedEarly, Map<String, String> settings,
                            PipelineStatus last, List<TrainerEvent> mappingEvents, Map<String, List<TrainerEvent>> trainerEvents,
                            List<TrainerResult> trainers) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pairsProduced", last.pairsProduced());
        counts.put("pairsDecomposed", last.pairsDecomposed());
        counts.put("regionOffsets", last.regionOffsets());
        counts.put("deadLetters", last.deadLetters());
        List<RunSummary.ModelSummary> models = new ArrayList<>();
        for (TrainerResult t : trainers) {
            models.add(model(t, trainerEvents.getOrDefault(t.modelId(), List.of())));
        }
        return new RunSummary(started, wallSeconds, stoppedEarly, settings, counts, mapping(mappingEvents), models);
    }

    static RunSummary.MappingSummary mapping(List<TrainerEvent> events) {
        Map<String, Map<String, Double>> quality = new LinkedHashMap<>();
        Map<String, List<RunSummary.Point>> curves = new LinkedHashMap<>();
        for (TrainerEvent e : events) {
            Map<String, Double> m = e.getMetrics();
            for (String split : SPLITS) {
                Double f1 = m.get(split + ".f1");
                if (f1 != null) {
                    curves.computeIfAbsent(split, s -> new ArrayList<>()).add(new RunSummary.Point(e.getSamplesSeen(), f1));
                }
            }
        }
        if (!events.isEmpty()) {
            Map<String, Double> m = events.get(events.size() - 1).getMetrics();
            for (String split : SPLITS) {
                Map<String, Double> q = new LinkedHashMap<>();
                for (String k : List.of("precision", "recall", "f1", "images")) {
                    Double v = m.get(split + "." + k);
                    if (v != null) {
                        q.put(k, v);
                    }
                }
                if (!q.isEmpty()) {
                    quality.put(split, q);
                }
            }
        }
        return new RunSummary.MappingSummary(quality, curves);
    }

    static RunSummary.ModelSummary model(TrainerResult t, List<TrainerEvent> events) {
        List<RunSummary.Point> loss = new ArrayList<>();
        Map<String, List<RunSummary.Point>> retrieval = new LinkedHashMap<>();
        long lastLossAt = -1;
        for (TrainerEvent e : events) {
            if (e.getLoss() != null && e.getSamplesSeen() != lastLossAt) { // a checkpoint and an evaluation may share a step
                loss.add(new RunSummary.Point(e.getSamplesSeen(), e.getLoss()));
                lastLossAt = e.getSamplesSeen();
            }
            Map<String, Double> m = e.getMetrics();
            for (String metric : CURVE_METRICS) {
                Double v = m.get("val." + metric);
                List<RunSummary.Point> curve = retrieval.computeIfAbsent(metric, k -> new ArrayList<>());
                if (v != null && (curve.isEmpty() || curve.get(curve.size() - 1).samples() != e.getSamplesSeen())) {
                    curve.add(new RunSummary.Point(e.getSamplesSeen(), v));
                }
            }
        }
        Optional<TrainingService.Outcome> o = t.outcome();
        return new RunSummary.ModelSummary(t.mode(), t.modelId(), o.map(TrainingService.Outcome::step).orElse(0L),
                o.map(TrainingService.Outcome::samplesSeen).orElse(0L),
                o.flatMap(TrainingService.Outcome::validation).map(RetrievalReport::summary).map(TreeMap::new).orElse(new TreeMap<>()),
                o.flatMap(TrainingService.Outcome::test).map(RetrievalReport::summary).map(TreeMap::new).orElse(new TreeMap<>()),
                loss, retrieval,
                o.map(TrainingService.Outcome::lastCheckpoint).map(p -> p.toAbsolutePath().toString()).orElse(null));
    }
}
