package io.villa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's charts as PNG bytes (JFreeChart, drawn headless). Every chart takes figures straight from a
 * {@link RunSummary}; an empty or missing series is left out, and a chart with nothing to draw says "no data"
 * instead of failing, so a run that stopped early still gets its page.
 */
public final class Charts {

    public static final int WIDTH = 720;
    public static final int HEIGHT = 360;
    public static final String NO_DATA = "no data";

    /** The final test metrics the villa-vs-clip bar chart compares, in this order. */
    public static final List<String> COMPARED_METRICS = List.of("t2r.rprecision", "r2t.rprecision", "t2r.map", "r2t.map");
    /** Where a metric has a random-ranking reference in the summary: its key plus this suffix. */
    public static final String CHANCE_SUFFIX = ".chance";
    public static final String CHANCE_ROW = "chance (random ranking)";

    static {
        Headless.ensure();
    }

    /** Dark enough to read on white, told apart by colour-blind readers too (Okabe-Ito). */
    static final Color[] SERIES_COLOURS = {new Color(0xD55E00), new Color(0x0072B2), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};
    static final BasicStroke SOLID = new BasicStroke(2f);
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /** (a) Training loss against samples seen, one series per model. */
    public static byte[] lossCurves(List<RunSummary.ModelSummary> models, int width, int height) {
        return png(lineChart("Training loss", "samples seen", "loss", lossSeries(models), false), width, height);
    }

    /** (b) Cumulative mapping F1 against train pairs the mapping model had learned from, one series per split. */
    public static byte[] mappingF1(RunSummary.MappingSummary mapping, int width, int height) {
        return png(lineChart("Mapping F1 (stage 1)", "train pairs learned from", "F1", f1Series(mapping), true), width, height);
    }

    /** (c) Validation retrieval (each metric of retrievalCurves: t2r and r2t R-precision) against samples seen, per model. */
    public static byte[] retrievalCurves(List<RunSummary.ModelSummary> models, int width, int height) {
        return png(lineChart("Validation retrieval", "samples seen", "R-precision", retrievalSeries(models), true), width, height);
    }

    /**
     * (d) Final test metrics ({@link #COMPARED_METRICS}) per model as bars, plus the random-ranking reference where the
     * summary has one (taken from the first model that has it: chance depends on the test set, not the model).
     */
    public static byte[] finalComparison(List<RunSummary.ModelSummary> models, int width, int height) {
        return png(comparisonChart(models), width, height);
    }

    /** A line chart of named series of points, as PNG bytes. */
    public static byte[] lines(String title, String xLabel, String yLabel, Map<String, List<RunSummary.Point>> series,
                               boolean unitRange, int width, int height) {
        return png(lineChart(title, xLabel, yLabel, series, unitRange), width, height);
    }

    static Map<String, List<RunSummary.Point>> lossSeries(List<RunSummary.ModelSummary> models) {
        Map<String, List<RunSummary.Point>> series = new LinkedHashMap<>();
        for (RunSummary.ModelSummary m : nonNull(models)) {
            series.put(m.mode(), m.lossCurve());
        }
        return series;
    }

    static Map<String, List<RunSummary.Point>> f1Series(RunSummary.MappingSummary mapping) {
        return mapping == null || mapping.f1Curves() == null ? Map.of() : mapping.f1Curves();
    }

    static Map<String, List<RunSummary.Point>> retrievalSeries(List<RunSummary.ModelSummary> models) {
        Map<String, List<RunSummary.Point>> series = new LinkedHashMap<>();
        for (RunSummary.ModelSummary m : nonNull(models)) {
            if (m.retrievalCurves() != null) {
                m.retrievalCurves().forEach((metric, points) -> series.put(m.mode() + " " + metric, points));
            }
        }
        return series;
    }

    static JFreeChart comparisonChart(List<RunSummary.ModelSummary> models) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (RunSummary.ModelSummary m : nonNull(models)) {
            for (String metric : COMPARED_METRICS) {
                Double v = m.test() == null ? null : m.test().get(metric);
                if (v != null && Double.isFinite(v)) {
                    data.addValue(v, java.util.Objects.toString(m.mode(), "?"), metric);
                }
            }
        }
        if (data.getRowCount() > 0) {
            for (String metric : COMPARED_METRICS) {
                nonNull(models).stream()
                        .map(m -> m.test() == null ? null : m.test().get(metric + CHANCE_SUFFIX))
                        .filter(v -> v != null && Double.isFinite(v))
                        .findFirst()
                        .ifPresent(v -> data.addValue(v, CHANCE_ROW, metric));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Final test retrieval", "metric", "value", data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        style(chart, plot);
        plot.getRangeAxis().setRange(0.0, 1.05);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0.000", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, SERIES_COLOURS[i % SERIES_COLOURS.length]);
        }
        int chanceRow = data.getRowIndex(CHANCE_ROW);
        if (chanceRow >= 0) {
            renderer.setSeriesPaint(chanceRow, Color.GRAY);
        }
        return chart;
    }

    /**
     * A line chart of named series; series without finite points are left out.
     *
     * @param unitRange fix the value axis to [0, 1] (for precision-like figures), else fit it to the data
     */
    static JFreeChart lineChart(String title, String xLabel, String yLabel, Map<String, List<RunSummary.Point>> series,
                                boolean unitRange) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name == null ? "?" : name, false, true);
            if (points != null) {
                for (RunSummary.Point p : points) {
                    if (p != null && Double.isFinite(p.value())) {
                        s.add(p.samples(), p.value());
                    }
                }
            }
            if (s.getItemCount() > 0) {   // an empty series is left out: with none left the plot shows NO_DATA
                data.addSeries(s);
            }
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        style(chart, plot);
        // points as well as lines: a curve of one evaluation would otherwise be invisible
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        // one colour per model (or split): the first word of the series name; region->text curves dashed
        Map<String, Color> colours = new LinkedHashMap<>();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String name = String.valueOf(data.getSeriesKey(i));
            Color colour = colours.computeIfAbsent(name.split(" ", 2)[0], k -> SERIES_COLOURS[colours.size() % SERIES_COLOURS.length]);
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesStroke(i, name.contains("r2t") ? DASHED : SOLID);
        }
        plot.setRenderer(renderer);
        if (unitRange) {
            plot.getRangeAxis().setRange(0.0, 1.0);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        return chart;
    }

    static void style(JFreeChart chart, Plot plot) {
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setNoDataMessage(NO_DATA);
        plot.setNoDataMessageFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        plot.setNoDataMessagePaint(Color.DARK_GRAY);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }

    static byte[] png(JFreeChart chart, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("chart size must be positive, got " + width + "x" + height);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode chart '" + chart.getTitle().getText() + "' as PNG", e);
        }
        return out.toByteArray();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
}
