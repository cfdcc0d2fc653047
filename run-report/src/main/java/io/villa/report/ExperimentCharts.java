package io.villa.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import io.villa.report.ExperimentSummary.Row;
import io.villa.report.ExperimentSummary.Stat;

/**
 * The complexity experiment's curves: a retrieval figure against complexity, one line per mode at its mean over
 * seeds with a band from the lowest to the highest seed, and the random-ranking reference dashed.
 */
public final class ExperimentCharts {

    /** The modes drawn, in this order (and colour). */
    public static final List<String> MODES = List.of(ShapeCheck.VILLA, ShapeCheck.CLIP);

    static {
        Headless.ensure();
    }

    private ExperimentCharts() {
    }

    /** {@code metric} ("t2r.rprecision", "r2t.rprecision") against complexity, as PNG bytes. */
    public static byte[] curves(String title, List<Row> rows, String metric, int width, int height) {
        return Charts.png(chart(title, rows, metric), width, height);
    }

    /**
     * The x axis: the rows' mean average complexity (the paper's axis) where every row has it, else the target
     * complexity, so that one axis never mixes the two.
     */
    static boolean byAverageComplexity(List<Row> rows) {
        return !rows.isEmpty() && rows.stream().allMatch(r -> r.averageComplexity() != null
                && Double.isFinite(r.averageComplexity().mean()));
    }

    static JFreeChart chart(String title, List<Row> rows, String metric) {
        boolean average = byAverageComplexity(rows);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String mode : MODES) {
            YIntervalSeries s = new YIntervalSeries(mode);
            for (Row r : rows) {
                Stat stat = stat(r, mode, metric);
                if (stat != null && Double.isFinite(stat.mean())) {
                    s.add(x(r, average), stat.mean(), stat.min(), stat.max());
                }
            }
            add(data, s);
        }
        YIntervalSeries chance = new YIntervalSeries(Charts.CHANCE_ROW);
        for (Row r : rows) {
            // chance depends on the test set, not the model: the first mode that measured it
            MODES.stream().map(mode -> stat(r, mode, metric + Charts.CHANCE_SUFFIX))
                    .filter(st -> st != null && Double.isFinite(st.mean())).findFirst()
                    .ifPresent(st -> chance.add(x(r, average), st.mean(), st.mean(), st.mean()));
        }
        add(data, chance);
        JFreeChart chart = ChartFactory.createXYLineChart(title,
                average ? "average complexity (attributes per image)" : "target complexity", "R-precision", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        Charts.style(chart, plot);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.2f);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean isChance = Charts.CHANCE_ROW.equals(data.getSeriesKey(i));
            // a mode keeps its colour whether or not the other one ran
            Color colour = isChance ? Color.GRAY : Charts.SERIES_COLOURS[MODES.indexOf(String.valueOf(data.getSeriesKey(i)))];
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesFillPaint(i, colour);
            renderer.setSeriesStroke(i, isChance ? Charts.DASHED : Charts.SOLID);
            renderer.setSeriesShapesVisible(i, !isChance);
        }
        plot.setRenderer(renderer);
        plot.getRangeAxis().setRange(0.0, 1.0);
        return chart;
    }

    private static double x(Row r, boolean average) {
        return average ? r.averageComplexity().mean() : r.targetComplexity();
    }

    private static Stat stat(Row r, String mode, String metric) {
        Map<String, Stat> figures = r.modes() == null ? null : r.modes().get(mode);
        return figures == null ? null : figures.get(metric);
    }

    /** An empty series is left out: with none left the plot says {@link Charts#NO_DATA}. */
    private static void add(YIntervalSeriesCollection data, YIntervalSeries s) {
        if (s.getItemCount() > 0) {
            data.addSeries(s);
        }
    }
}
