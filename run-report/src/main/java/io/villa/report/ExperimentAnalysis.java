package io.villa.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.villa.report.ExperimentSummary.Cell;
import io.villa.report.ExperimentSummary.ModeResult;
import io.villa.report.ExperimentSummary.Row;
import io.villa.report.ExperimentSummary.Stat;

/**
 * Turns the finished cells of a complexity experiment into its {@link ExperimentSummary}: the rows (a complexity's
 * cells over seeds) and the shape check ({@link ShapeCheck}). Pure functions, so the command can call it again after
 * every cell, on the cells it read back from experiment.json plus the new one.
 */
public final class ExperimentAnalysis {

    /** The rows' extra figure per mode, beside the test metrics: the trainer's steps. */
    public static final String STEPS = "steps";

    private ExperimentAnalysis() {
    }

    /**
     * @param started      ISO-8601 start of the first session
     * @param wallSeconds  time spent running cells, over every session
     * @param stoppedEarly the run ended before every cell finished
     * @param settings     the experiment's options, shown as they are
     * @param cells        the finished cells, in the order they ran
     * @return the summary with rows, shape and the paper's figures filled in
     */
    public static ExperimentSummary summarize(String started, double wallSeconds, boolean stoppedEarly,
                                              Map<String, String> settings, List<Cell> cells) {
        List<Cell> finished = cells == null ? List.of() : cells.stream().filter(java.util.Objects::nonNull).toList();
        List<Row> rows = rows(finished);
        return new ExperimentSummary(started, wallSeconds, stoppedEarly,
                settings == null ? Map.of() : new LinkedHashMap<>(settings), finished, rows, ShapeCheck.of(rows),
                ExperimentSummary.Paper.figures());
    }

    /** One row per target complexity, ascending. */
    public static List<Row> rows(List<Cell> cells) {
        Map<Integer, List<Cell>> byTarget = new TreeMap<>();
        cells.forEach(c -> byTarget.computeIfAbsent(c.targetComplexity(), k -> new ArrayList<>()).add(c));
        List<Row> rows = new ArrayList<>();
        byTarget.forEach((target, group) -> rows.add(row(target, group)));
        return rows;
    }

    private static Row row(int target, List<Cell> group) {
        Stat average = stat(group.stream().map(Cell::averageComplexity).toList());
        Map<String, Stat> mapping = statsOf(group, Cell::mapping);
        Map<String, Map<String, Stat>> modes = new LinkedHashMap<>();
        for (String mode : keys(group, Cell::modes)) {
            List<ModeResult> results = group.stream().map(c -> c.modes() == null ? null : c.modes().get(mode))
                    .filter(java.util.Objects::nonNull).toList();
            modes.put(mode, statsOf(results, ExperimentAnalysis::figuresWithSteps));
        }
        return new Row(target, group.size(), average, mapping, modes);
    }

    private static Map<String, Double> figuresWithSteps(ModeResult r) {
        Map<String, Double> out = new LinkedHashMap<>(r.test() == null ? Map.of() : r.test());
        out.put(STEPS, (double) r.steps());
        return out;
    }

    /** A stat per key any item has, over the items that have it (a figure a cell lacks was not measured there). */
    private static <T> Map<String, Stat> statsOf(List<T> items, Function<T, Map<String, Double>> figures) {
        Map<String, Stat> out = new LinkedHashMap<>();
        for (String key : keys(items, figures)) {
            List<Double> values = new ArrayList<>();
            for (T item : items) {
                Map<String, Double> m = figures.apply(item);
                if (m != null && m.get(key) != null) {
                    values.add(m.get(key));
                }
            }
            out.put(key, stat(values));
        }
        return out;
    }

    private static <T> Set<String> keys(List<T> items, Function<T, ? extends Map<String, ?>> map) {
        Set<String> keys = new LinkedHashSet<>();
        for (T item : items) {
            Map<String, ?> m = map.apply(item);
            if (m != null) {
                keys.addAll(m.keySet());
            }
        }
        return keys;
    }

    /**
     * Mean, sample standard deviation (0 for one value), min and max of the finite values; n counts them. With none,
     * n is 0 and the rest NaN.
     */
    public static Stat stat(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return new Stat(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        double spread = v.length == 1 ? 0.0 : Math.sqrt(squares / (v.length - 1));
        return new Stat(v.length, mean, spread, min, max);
    }
}
