package io.villa.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.villa.report.ExperimentSummary.Row;
import io.villa.report.ExperimentSummary.Shape;
import io.villa.report.ExperimentSummary.Stat;

/**
 * Whether a complexity experiment's rows have the paper's shape (see {@link Shape}): clip falls as complexity rises,
 * villa holds up, villa leads from complexity 8. Every failed condition gets a note with its numbers, written by
 * {@link Figures#format} like the page's figures.
 */
public final class ShapeCheck {

    public static final String VILLA = "villa";
    public static final String CLIP = "clip";
    public static final String T2R = "t2r.rprecision";
    public static final String R2T = "r2t.rprecision";
    /** clip's text->region fall, in percent, that counts as falling. */
    public static final int CLIP_FALL_PERCENT = 25;
    /** Rows from this target complexity up are where villa must lead. */
    public static final int LEAD_FROM = 8;

    private ShapeCheck() {
    }

    /** The shape of {@code rows} (ascending by target complexity, as {@link ExperimentAnalysis#rows} gives them). */
    public static Shape of(List<Row> rows) {
        int lowest = rows.isEmpty() ? 0 : rows.get(0).targetComplexity();
        int highest = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).targetComplexity();
        String unjudged = unjudged(rows);
        if (unjudged != null) {
            return new Shape(lowest, highest, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    false, false, false, false, List.of(unjudged));
        }
        Row first = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        double clipT2rFall = fall(first, last, CLIP, T2R);
        double clipR2tFall = fall(first, last, CLIP, R2T);
        double villaT2rFall = fall(first, last, VILLA, T2R);
        double villaR2tFall = fall(first, last, VILLA, R2T);
        List<Row> from8 = rows.stream().filter(r -> r.targetComplexity() >= LEAD_FROM).toList();
        double t2rGain = gain(from8, T2R);
        double r2tGain = gain(from8, R2T);

        List<String> notes = new ArrayList<>();
        boolean clipFalls = clipT2rFall >= CLIP_FALL_PERCENT;
        if (!clipFalls) {
            notes.add("clip's text->region R-precision falls " + percent("clipT2rFallPercent", clipT2rFall) + " from complexity "
                    + lowest + " to " + highest + ", less than " + Figures.format("threshold", CLIP_FALL_PERCENT) + "%");
        }
        boolean villaHoldsUp = villaT2rFall < clipT2rFall / 2;
        if (!villaHoldsUp) {
            notes.add("villa's text->region R-precision falls " + percent("villaT2rFallPercent", villaT2rFall) + " from complexity "
                    + lowest + " to " + highest + ", not less than half of clip's " + percent("clipT2rFallPercent", clipT2rFall));
        }
        boolean ahead = !from8.isEmpty();
        if (from8.isEmpty()) {
            notes.add("no complexity of " + LEAD_FROM + " or more finished, so villa's lead there cannot be judged");
        }
        for (Row r : from8) {
            if (!(mean(r, VILLA, T2R) > mean(r, CLIP, T2R) && mean(r, VILLA, R2T) > mean(r, CLIP, R2T))) {
                ahead = false;
                notes.add("villa is not ahead of clip at complexity " + r.targetComplexity() + ": text->region R-precision "
                        + Figures.format(T2R, mean(r, VILLA, T2R)) + " vs " + Figures.format(T2R, mean(r, CLIP, T2R))
                        + ", region->text " + Figures.format(R2T, mean(r, VILLA, R2T)) + " vs " + Figures.format(R2T, mean(r, CLIP, R2T)));
            }
        }
        return new Shape(lowest, highest, clipT2rFall, clipR2tFall, villaT2rFall, villaR2tFall, t2rGain, r2tGain,
                clipFalls, villaHoldsUp, ahead, clipFalls && villaHoldsUp && ahead, notes);
    }

    /** Why the shape cannot be judged on these rows, or null when it can. */
    private static String unjudged(List<Row> rows) {
        if (rows.size() < 2) {
            return "only " + rows.size() + " target complexit" + (rows.size() == 1 ? "y" : "ies")
                    + " finished: the shape needs at least two";
        }
        for (Row r : List.of(rows.get(0), rows.get(rows.size() - 1))) {
            for (String mode : List.of(VILLA, CLIP)) {
                if (r.modes() == null || !r.modes().containsKey(mode)) {
                    return "no " + mode + " model at complexity " + r.targetComplexity()
                            + ": the shape needs both villa and clip at the lowest and highest complexity";
                }
            }
        }
        return null;
    }

    /** {@code 100 * (first - last) / first} on the mode's mean; NaN where a mean is missing or the first is 0. */
    static double fall(Row first, Row last, String mode, String metric) {
        double from = mean(first, mode, metric);
        double to = mean(last, mode, metric);
        return from == 0 ? Double.NaN : 100 * (from - to) / from;
    }

    /** villa minus clip, in points (x100), averaged over {@code rows}; NaN where there are none. */
    static double gain(List<Row> rows, String metric) {
        return rows.stream().mapToDouble(r -> 100 * (mean(r, VILLA, metric) - mean(r, CLIP, metric))).average().orElse(Double.NaN);
    }

    /** The mode's mean of the metric in the row; NaN where not measured. */
    static double mean(Row row, String mode, String metric) {
        Map<String, Stat> figures = row.modes() == null ? null : row.modes().get(mode);
        Stat stat = figures == null ? null : figures.get(metric);
        return stat == null ? Double.NaN : stat.mean();
    }

    private static String percent(String key, double value) {
        return Figures.format(key, value) + "%";
    }
}
