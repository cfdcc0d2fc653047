package io.villa.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.villa.report.ExperimentSummary.Cell;
import io.villa.report.ExperimentSummary.ModeResult;

/** Hand-made cells of a complexity experiment: realistic keys and values, each figure chosen by the test. */
final class ExperimentFixtures {

    private ExperimentFixtures() {
    }

    /** R-precision of one cell: villa and clip, text->region and region->text. */
    record Retrieval(double villaT2r, double villaR2t, double clipT2r, double clipR2t) {
    }

    /** Cells where the shape holds: clip falls 50%, villa 1/7, villa ahead from 8; two seeds at 4 and 32. */
    static List<Cell> holding() {
        List<Cell> cells = new ArrayList<>();
        cells.add(cell(4, 1, new Retrieval(0.70, 0.66, 0.62, 0.58)));
        cells.add(cell(4, 2, new Retrieval(0.70, 0.66, 0.58, 0.54)));
        cells.add(cell(8, 1, new Retrieval(0.68, 0.64, 0.50, 0.50)));
        cells.add(cell(16, 1, new Retrieval(0.64, 0.60, 0.40, 0.44)));
        cells.add(cell(32, 1, new Retrieval(0.62, 0.58, 0.31, 0.40)));
        cells.add(cell(32, 2, new Retrieval(0.58, 0.54, 0.29, 0.36)));
        return cells;
    }

    static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("complexities", "4,8,16,32");
        settings.put("seeds", "1,2");
        settings.put("trainBudget", "20000");
        return settings;
    }

    static ExperimentSummary summary(List<Cell> cells) {
        return ExperimentAnalysis.summarize("2025-06-02T08:00:00Z", 5432.5, false, settings(), cells);
    }

    static Cell cell(int target, long seed, Retrieval r) {
        return cell(target, seed, target * 0.9 + seed * 0.05, r, modes(r, 1200 + seed));
    }

    static Cell cell(int target, long seed, double averageComplexity, Retrieval r, Map<String, ModeResult> modes) {
        Map<String, Double> mapping = quality(0.9 - target / 100.0, 0.85 - target / 100.0, 0.87 - target / 100.0);
        Map<String, Map<String, Double>> byType = new LinkedHashMap<>();
        byType.put("digit", quality(0.95, 0.93, 0.94));
        byType.put("colour", quality(0.91, 0.9, 0.905 - seed / 1000.0));
        byType.put("shape", quality(0.8, 0.78, 0.79));
        byType.put("size", quality(0.7, 0.71, 0.705));
        return new Cell(target, seed, averageComplexity, 2000L + target, 300.25 + target + seed,
                String.format("cells/c%02d-s%d", target, seed), mapping, byType, modes);
    }

    static Map<String, ModeResult> modes(Retrieval r, long steps) {
        Map<String, ModeResult> modes = new LinkedHashMap<>();
        modes.put("villa", new ModeResult(steps, 3, 2, test(r.villaT2r(), r.villaR2t())));
        modes.put("clip", new ModeResult(steps, 3, 3, test(r.clipT2r(), r.clipR2t())));
        return modes;
    }

    static Map<String, Double> test(double t2r, double r2t) {
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("t2r.rprecision", t2r);
        test.put("t2r.precision@10", t2r * 0.8);
        test.put("t2r.map", t2r * 0.9);
        test.put("r2t.rprecision", r2t);
        test.put("r2t.precision@1", r2t * 1.1);
        test.put("r2t.map", r2t * 0.95);
        test.put("t2r.rprecision.chance", 0.05);
        test.put("r2t.rprecision.chance", 0.1);
        return test;
    }

    private static Map<String, Double> quality(double precision, double recall, double f1) {
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("precision", precision);
        q.put("recall", recall);
        q.put("f1", f1);
        return q;
    }
}
