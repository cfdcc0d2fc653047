package io.villa.report;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one demo run: what summary.json holds and what report.html draws. Plain records so
 * Jackson writes and reads them as they are.
 *
 * @param started      ISO-8601 start time
 * @param wallSeconds  run time
 * @param stoppedEarly true when Ctrl-C (or a failed stage) ended the run before its budget
 * @param settings     the demo's options (complexity, budgets, mode, seed ...)
 * @param counts       what the pipeline committed to its topics, counted record by record: pairsProduced,
 *                     pairsDecomposed, pairsDeadLettered, pairsUnaccounted, deadLetters, regionRecords ...; lags
 *                     (from consumer-group offsets) are named as such
 * @param countsBalance every {@code countChecks} entry holds: each produced pair was decomposed or dead-lettered,
 *                     exactly once, and each trainer evaluated every held-out region that was decomposed
 * @param countChecks  the checks behind {@code countsBalance}, each with its two numbers
 * @param splitCounts  split (TRAIN, VAL, TEST) -> pairsProduced, pairsDecomposed (= images), pairsDeadLettered,
 *                     pairsUnaccounted, regionRecords, evaluableRegions
 * @param deadLettersByStage stage that wrote them -> dead letters on the topic
 * @param mapping      stage 1 (the mapping model)
 * @param models       stage 2, one entry per trained mode (villa, clip)
 */
public record RunSummary(
        String started,
        double wallSeconds,
        boolean stoppedEarly,
        Map<String, String> settings,
        Map<String, Long> counts,
        boolean countsBalance,
        List<CountCheck> countChecks,
        Map<String, Map<String, Long>> splitCounts,
        Map<String, Long> deadLettersByStage,
        MappingSummary mapping,
        List<ModelSummary> models) {

    /**
     * One check a reader can redo from the two numbers.
     *
     * @param check    what should hold, in words ("pairs produced = decomposed + dead-lettered")
     * @param expected the number it should be
     * @param actual   the number it is
     * @param holds    whether it holds
     */
    public record CountCheck(String check, long expected, long actual, boolean holds) {}

    /** A value against the number of samples seen when it was measured. */
    public record Point(long samples, double value) {}

    /**
     * @param quality  split (TRAIN, VAL, TEST) -> precision, recall, f1 and imagesScored (the images they were
     *                 measured on): cumulative, as of the job's last quality event (one every few pairs and
     *                 one when a bounded input ends), which may trail the images decomposed while a run goes on;
     *                 HELDOUT: the last version the learner scored on its fixed held-out VAL pairs
     * @param f1Curves split -> cumulative F1 against train pairs the mapping model had learned from; HELDOUT: each
     *                 scored version's F1 on the held-out pairs
     * @param qualityByType split -> attribute type (from the vocabulary; none without types) -> precision, recall, f1,
     *                 as of the same events as {@code quality}
     */
    public record MappingSummary(
            Map<String, Map<String, Double>> quality,
            Map<String, List<Point>> f1Curves,
            Map<String, Map<String, Map<String, Double>>> qualityByType) {}

    /**
     * @param mode         villa or clip
     * @param modelId      the model's id in trainer events
     * @param steps        training steps taken
     * @param samplesSeen  training examples seen
     * @param passes       passes over the training pairs completed (the same for every mode: equal budgets)
     * @param bestPass     the pass whose model the final evaluation scored (early stopping's pick; 0: the model as it ended)
     * @param validation   final validation retrieval (RetrievalReport summary keys: t2r.rprecision, ...)
     * @param test         final test retrieval, same keys
     * @param evaluatedRegions split (VAL, TEST) -> regions the trainer ranked in its final evaluation, as it reported
     * @param lossCurve    training loss against samples seen
     * @param retrievalCurves validation metric (t2r.rprecision, r2t.rprecision) against samples seen
     * @param checkpoint   the last checkpoint directory, or null
     */
    public record ModelSummary(
            String mode,
            String modelId,
            long steps,
            long samplesSeen,
            int passes,
            int bestPass,
            Map<String, Double> validation,
            Map<String, Double> test,
            Map<String, Long> evaluatedRegions,
            List<Point> lossCurve,
            Map<String, List<Point>> retrievalCurves,
            String checkpoint) {}
}
