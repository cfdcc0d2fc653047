package io.villa.report;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one {@code villa experiment complexity} run: what experiment.json holds and what its report.html
 * draws. One {@link Cell} per (target complexity, seed) the run finished; {@link Row}s aggregate a complexity's cells
 * over seeds; {@link Shape} says whether the paper's claim holds; {@link Paper} is the paper's figures, for comparison.
 * Plain records so Jackson writes and reads them as they are. {@link ExperimentAnalysis#summarize} builds one from the
 * cells, {@link ExperimentReport#write} writes experiment.json ({@link ExperimentFile}) and report.html
 * ({@link ExperimentPage}).
 *
 * @param started      ISO-8601 start time of the first session (a resumed run keeps it)
 * @param wallSeconds  time spent running cells, over every session
 * @param stoppedEarly true when the time limit or Ctrl-C ended the run before every cell finished
 * @param settings     the experiment's options (complexities, seeds, budgets, passes, ...)
 * @param cells        the finished cells, in the order they ran
 * @param rows         one per target complexity with at least one finished cell, by target complexity
 * @param shape        the paper's claim checked on {@code rows}
 * @param paper        the paper's figures
 */
public record ExperimentSummary(String started, double wallSeconds, boolean stoppedEarly, Map<String, String> settings,
                                List<Cell> cells, List<Row> rows, Shape shape, Paper paper) {

    /**
     * One pipeline run: DocMNIST at one target complexity and seed through broker, decomposition job and both trainers.
     *
     * @param targetComplexity  DocMNIST's target sample complexity
     * @param seed              the data's and models' seed
     * @param averageComplexity attributes per TRAIN image, as generated
     * @param trainImages       TRAIN images (pairs) generated
     * @param wallSeconds       the cell's run time
     * @param runDir            the cell's directory (its summary.json and report.html), relative to the experiment's
     * @param mapping           the final mapping model on the learner's held-out VAL pairs (the cell's own complexity;
     *                          the TEST split's cumulative figures where a run has no held-out scoring): precision,
     *                          recall, f1
     * @param mappingByType     attribute type (digit, colour, shape, size) -> precision, recall, f1, the same pairs
     * @param modes             mode (villa, clip) -> its trainer's outcome
     */
    public record Cell(int targetComplexity, long seed, double averageComplexity, long trainImages, double wallSeconds,
                       String runDir, Map<String, Double> mapping, Map<String, Map<String, Double>> mappingByType,
                       Map<String, ModeResult> modes) {
    }

    /**
     * @param steps    training steps
     * @param passes   passes over the training pairs
     * @param bestPass the pass whose model was scored (early stopping's pick)
     * @param test     test retrieval, RetrievalReport's summary keys (t2r.rprecision, t2r.precision@10, t2r.map,
     *                 r2t.rprecision, r2t.precision@1, r2t.map, and the .chance references)
     */
    public record ModeResult(long steps, int passes, int bestPass, Map<String, Double> test) {
    }

    /** Mean and spread of one figure over a complexity's seeds; spread is the sample standard deviation (0 for one seed). */
    public record Stat(int n, double mean, double spread, double min, double max) {
    }

    /**
     * @param targetComplexity  the target
     * @param seeds             cells aggregated
     * @param averageComplexity attributes per TRAIN image
     * @param mapping           precision, recall, f1 -> stat
     * @param modes             mode -> metric (the {@link ModeResult#test} keys, plus steps) -> stat
     */
    public record Row(int targetComplexity, int seeds, Stat averageComplexity, Map<String, Stat> mapping,
                      Map<String, Map<String, Stat>> modes) {
    }

    /**
     * The paper's claim on these rows: clip's text->region R-precision falls by at least 25% from the lowest to the
     * highest complexity, villa's by less than half of clip's fall, and villa leads clip at every complexity from 8 up.
     *
     * @param lowestComplexity   target complexity of the first row
     * @param highestComplexity  target complexity of the last row
     * @param clipT2rFallPercent clip's mean t2r R-precision fall, in percent of its value at the lowest complexity
     * @param clipR2tFallPercent the same for region->text
     * @param villaT2rFallPercent villa's t2r fall, in percent
     * @param villaR2tFallPercent villa's r2t fall, in percent
     * @param villaT2rGain       villa minus clip t2r R-precision, in points (x100), averaged over rows from 8 up
     * @param villaR2tGain       the same for region->text
     * @param clipFalls          clipT2rFallPercent >= 25
     * @param villaHoldsUp       villaT2rFallPercent < clipT2rFallPercent / 2
     * @param villaAheadFrom8    villa's mean t2r and r2t R-precision above clip's in every row from target 8 up
     * @param holds              all three
     * @param notes              where it does not hold, in words; empty when it holds
     */
    public record Shape(int lowestComplexity, int highestComplexity, double clipT2rFallPercent, double clipR2tFallPercent,
                       double villaT2rFallPercent, double villaR2tFallPercent, double villaT2rGain, double villaR2tGain,
                       boolean clipFalls, boolean villaHoldsUp, boolean villaAheadFrom8, boolean holds, List<String> notes) {
    }

    /**
     * The paper's DocMNIST figures (Varma et al., ICCV 2023), for comparison.
     *
     * @param complexityFrom      lowest average complexity of its datasets
     * @param complexityTo        highest
     * @param clipT2rFallPercent  CLIP's text->region R-precision fall from the lowest to the highest, in percent
     * @param clipR2tFallPercent  the same for region->text
     * @param villaT2rGain        ViLLA over the best CLIP baseline, text->region R-precision points
     * @param villaR2tGain        the same for region->text
     */
    public record Paper(double complexityFrom, double complexityTo, double clipT2rFallPercent, double clipR2tFallPercent,
                        double villaT2rGain, double villaR2tGain) {

        /** The figures the paper reports for DocMNIST. */
        public static Paper figures() {
            return new Paper(5.0, 29.4, 36.9, 20.5, 14.2, 7.8);
        }
    }
}
