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
 * Turns what a demo run saw into its {@link RunSummary}: counts from the records the pipeline committed
 * (the last status, read to the end), final figures from the trainers' outcomes, curves from the events the
 * monitor kept, and the checks that the counts add up.
 */
final class DemoSummary {

    /** The job's splits, and the learner's held-out scores of its versions. */
    private static final List<String> MAPPING_SPLITS = List.of("TRAIN", "VAL", "TEST", "HELDOUT");

    private static final List<String> QUALITY = List.of("precision", "recall", "f1");
    private static final List<String> CURVE_METRICS = List.of(RetrievalReport.T2R_RPREC, RetrievalReport.R2T_RPREC);

    private DemoSummary() {}

    /** A trainer's result: its outcome, or none when it failed or never ran. */
    record TrainerResult(String mode, String modelId, Optional<TrainingService.Outcome> outcome) {}

    /**
     * @param last       the end state ({@link PipelineMonitor#pollToEnd})
     * @param producerSent pairs the producer says it sent, or -1 when it did not run to its end
     * @param maxHeldOut   the trainers' cap on held-out regions per split (ServiceConfig.maxHeldOut)
     * @param extraCounts  counts of an earlier stage (the hospital feed's), added after the pipeline's; empty: none
     */
    static RunSummary build(
            String started,
            double wallSeconds,
            boolean stoppedEarly,
            Map<String, String> settings,
            PipelineStatus last,
            List<TrainerEvent> mappingEvents,
            Map<String, List<TrainerEvent>> trainerEvents,
            List<TrainerResult> trainers,
            long producerSent,
            long maxHeldOut,
            Map<String, Long> extraCounts) {
        PipelineCounts c = last.counts();
        Map<String, Long> counts = new LinkedHashMap<>();
        if (producerSent >= 0) {
            counts.put("pairsSentByProducer", producerSent);
        }
        counts.put("pairsProduced", c.pairs().produced());
        counts.put("pairsDecomposed", c.pairs().decomposed());
        counts.put("pairsDeadLettered", c.pairs().deadLettered());
        counts.put("pairsUnaccounted", c.pairs().unaccounted());
        counts.put("pairsCountedTwice", c.pairs().countedTwice());
        counts.put("deadLetters", c.deadLetters());
        counts.put("regionRecords", c.regionRecords());
        counts.put("undecodableRecords", c.undecodable());
        counts.put("decomposeGroupOffsetLag", last.decomposeOffsetLag());
        counts.putAll(extraCounts);
        Map<String, Map<String, Long>> splits = new LinkedHashMap<>();
        c.splits().forEach((split, sc) -> splits.put(split, splitCounts(sc)));
        List<RunSummary.ModelSummary> models = new ArrayList<>();
        Map<String, Map<String, Long>> evaluated = new LinkedHashMap<>();
        for (TrainerResult t : trainers) {
            RunSummary.ModelSummary m = model(t, trainerEvents.getOrDefault(t.modelId(), List.of()));
            models.add(m);
            evaluated.put(t.modelId(), m.evaluatedRegions());
        }
        List<RunSummary.CountCheck> checks = CountChecks.of(c, producerSent, evaluated, maxHeldOut);
        return new RunSummary(
                started,
                wallSeconds,
                stoppedEarly,
                settings,
                counts,
                CountChecks.allHold(checks),
                checks,
                splits,
                c.deadLettersByStage(),
                mapping(mappingEvents),
                models);
    }

    private static Map<String, Long> splitCounts(PipelineCounts.SplitCounts sc) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("pairsProduced", sc.pairs().produced());
        m.put("pairsDecomposed", sc.pairs().decomposed());
        m.put("pairsDeadLettered", sc.pairs().deadLettered());
        m.put("pairsUnaccounted", sc.pairs().unaccounted());
        m.put("regionRecords", sc.regionRecords());
        m.put("evaluableRegions", sc.evaluableRegions());
        return m;
    }

    /**
     * Curves from every event; final figures from the newest value of each key (the job's per-split events and the
     * learner's held-out ones, HELDOUT.*, come separately), per split and per attribute type (SPLIT.f1.TYPE).
     */
    static RunSummary.MappingSummary mapping(List<TrainerEvent> events) {
        Map<String, Map<String, Double>> quality = new LinkedHashMap<>();
        Map<String, List<RunSummary.Point>> curves = new LinkedHashMap<>();
        Map<String, Double> latest = new LinkedHashMap<>();
        for (TrainerEvent e : events) {
            Map<String, Double> m = e.getMetrics();
            latest.putAll(m);
            for (String split : MAPPING_SPLITS) {
                Double f1 = m.get(split + ".f1");
                if (f1 != null) {
                    curves.computeIfAbsent(split, s -> new ArrayList<>())
                            .add(new RunSummary.Point(e.getSamplesSeen(), f1));
                }
            }
        }
        Map<String, Map<String, Map<String, Double>>> byType = new LinkedHashMap<>();
        for (String split : MAPPING_SPLITS) {
            Map<String, Double> q = new LinkedHashMap<>();
            for (String k : QUALITY) {
                Double v = latest.get(split + "." + k);
                if (v != null) {
                    q.put(k, v);
                }
            }
            Double scored = latest.get(split + ".images"); // as of this event: the job publishes one every few pairs
            if (scored != null) {
                q.put("imagesScored", scored);
            }
            if (!q.isEmpty()) {
                quality.put(split, q);
            }
            for (String k : QUALITY) {
                String prefix = split + "." + k + ".";
                latest.forEach((key, v) -> {
                    if (key.startsWith(prefix)) {
                        byType.computeIfAbsent(split, x -> new LinkedHashMap<>())
                                .computeIfAbsent(key.substring(prefix.length()), x -> new LinkedHashMap<>())
                                .put(k, v);
                    }
                });
            }
        }
        return new RunSummary.MappingSummary(quality, curves, byType);
    }

    /**
     * Split -> regions the trainer ranked in its final evaluation: from its outcome, or, when it has none
     * (it failed, or was aborted), from the last evaluation it announced.
     */
    static Map<String, Long> evaluatedRegions(Optional<TrainingService.Outcome> o, List<TrainerEvent> events) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (o.isPresent()) {
            out.put("VAL", o.get().validation().map(r -> (long) r.regions()).orElse(0L));
            out.put("TEST", o.get().test().map(r -> (long) r.regions()).orElse(0L));
            return out;
        }
        for (TrainerEvent e : events) {
            Double val = e.getMetrics().get("val.regions");
            Double test = e.getMetrics().get("test.regions");
            if (val != null) {
                out.put("VAL", val.longValue());
            }
            if (test != null) {
                out.put("TEST", test.longValue());
            }
        }
        return out;
    }

    static RunSummary.ModelSummary model(TrainerResult t, List<TrainerEvent> events) {
        List<RunSummary.Point> loss = new ArrayList<>();
        Map<String, List<RunSummary.Point>> retrieval = new LinkedHashMap<>();
        long lastLossAt = -1;
        for (TrainerEvent e : events) {
            if (e.getLoss() != null
                    && e.getSamplesSeen() != lastLossAt) { // a checkpoint and an evaluation may share a step
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
        return new RunSummary.ModelSummary(
                t.mode(),
                t.modelId(),
                o.map(TrainingService.Outcome::step).orElse(0L),
                o.map(TrainingService.Outcome::samplesSeen).orElse(0L),
                o.map(TrainingService.Outcome::passes).orElse(0),
                o.map(TrainingService.Outcome::bestPass).orElse(0),
                o.flatMap(TrainingService.Outcome::validation)
                        .map(RetrievalReport::summary)
                        .map(TreeMap::new)
                        .orElse(new TreeMap<>()),
                o.flatMap(TrainingService.Outcome::test)
                        .map(RetrievalReport::summary)
                        .map(TreeMap::new)
                        .orElse(new TreeMap<>()),
                evaluatedRegions(o, events),
                loss,
                retrieval,
                o.map(TrainingService.Outcome::lastCheckpoint)
                        .map(p -> p.toAbsolutePath().toString())
                        .orElse(null));
    }
}
