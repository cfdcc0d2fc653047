package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jfree.chart.JFreeChart;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

class ChartsTest {

    private static final RunSummary SUMMARY = Fixtures.twoModels();

    @Test
    void everyChartIsADecodablePngOfTheAskedSize() {
        List<byte[]> charts = List.of(
                Charts.lossCurves(SUMMARY.models(), 640, 320),
                Charts.mappingF1(SUMMARY.mapping(), 640, 320),
                Charts.retrievalCurves(SUMMARY.models(), 640, 320),
                Charts.finalComparison(SUMMARY.models(), 640, 320));

        for (byte[] png : charts) {
            BufferedImage image = Fixtures.decode(png);
            assertThat(image).isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(320);
        }
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    @Test
    void emptyDataGivesANoDataChartInsteadOfFailing() {
        RunSummary.ModelSummary untrained = new RunSummary.ModelSummary(
                "villa",
                "m",
                0,
                0,
                0,
                0,
                Map.of(),
                Map.of(),
                Map.of(),
                List.of(),
                Map.of("t2r.rprecision", List.of()),
                null);
        List<byte[]> charts = List.of(
                Charts.lossCurves(List.of(), Charts.WIDTH, Charts.HEIGHT),
                Charts.lossCurves(List.of(untrained), Charts.WIDTH, Charts.HEIGHT),
                Charts.mappingF1(null, Charts.WIDTH, Charts.HEIGHT),
                Charts.mappingF1(
                        new RunSummary.MappingSummary(Map.of(), Map.of("TRAIN", List.of()), Map.of()),
                        Charts.WIDTH,
                        Charts.HEIGHT),
                Charts.retrievalCurves(List.of(untrained), Charts.WIDTH, Charts.HEIGHT),
                Charts.finalComparison(List.of(untrained), Charts.WIDTH, Charts.HEIGHT),
                Charts.finalComparison(null, Charts.WIDTH, Charts.HEIGHT));

        for (byte[] png : charts) {
            BufferedImage image = Fixtures.decode(png);
            assertThat(image).isNotNull();
            assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        }
        JFreeChart empty = Charts.lineChart("t", "x", "y", Charts.lossSeries(List.of(untrained)), false);
        assertThat(DatasetUtils.isEmptyOrNull(empty.getXYPlot().getDataset())).isTrue();
        assertThat(empty.getXYPlot().getNoDataMessage()).isEqualTo(Charts.NO_DATA);
        JFreeChart emptyBars = Charts.comparisonChart(List.of(untrained));
        assertThat(DatasetUtils.isEmptyOrNull(emptyBars.getCategoryPlot().getDataset()))
                .isTrue();
        assertThat(emptyBars.getCategoryPlot().getNoDataMessage()).isEqualTo(Charts.NO_DATA);
    }

    @Test
    void seriesComeFromTheSummaryOnePerModelOrSplitAndSkipNonFinitePoints() {
        XYDataset loss = Charts.lineChart("t", "x", "y", Charts.lossSeries(SUMMARY.models()), false)
                .getXYPlot()
                .getDataset();
        assertThat(keys(loss)).containsExactly("villa", "clip");
        assertThat(loss.getItemCount(0))
                .isEqualTo(SUMMARY.models().get(0).lossCurve().size());
        assertThat(loss.getYValue(0, 3))
                .isEqualTo(SUMMARY.models().get(0).lossCurve().get(3).value());

        XYDataset f1 = Charts.lineChart("t", "x", "y", Charts.f1Series(SUMMARY.mapping()), true)
                .getXYPlot()
                .getDataset();
        assertThat(keys(f1)).containsExactly("TRAIN", "VAL", "TEST");

        XYDataset retrieval = Charts.lineChart("t", "x", "y", Charts.retrievalSeries(SUMMARY.models()), true)
                .getXYPlot()
                .getDataset();
        assertThat(keys(retrieval))
                .containsExactly(
                        "villa t2r.rprecision", "villa r2t.rprecision", "clip t2r.rprecision", "clip r2t.rprecision");

        Map<String, List<RunSummary.Point>> gappy = new LinkedHashMap<>();
        gappy.put(
                "a",
                List.of(
                        new RunSummary.Point(1, 0.5),
                        new RunSummary.Point(2, Double.NaN),
                        new RunSummary.Point(3, 0.7)));
        XYDataset skipped =
                Charts.lineChart("t", "x", "y", gappy, true).getXYPlot().getDataset();
        assertThat(skipped.getItemCount(0)).isEqualTo(2);
    }

    @Test
    void theComparisonBarsAreTheFinalTestMetricsWithChanceAsReference() {
        CategoryDataset bars =
                Charts.comparisonChart(SUMMARY.models()).getCategoryPlot().getDataset();

        assertThat(bars.getRowKeys()).containsExactly("villa", "clip", Charts.CHANCE_ROW);
        assertThat(bars.getColumnKeys()).containsExactlyElementsOf(Charts.COMPARED_METRICS);
        assertThat(bars.getValue("clip", "r2t.map").doubleValue())
                .isEqualTo(SUMMARY.models().get(1).test().get("r2t.map"));
        assertThat(bars.getValue(Charts.CHANCE_ROW, "t2r.rprecision").doubleValue())
                .isEqualTo(SUMMARY.models().get(0).test().get("t2r.rprecision.chance"));
        assertThat(bars.getValue(Charts.CHANCE_ROW, "t2r.map"))
                .as("no chance figure for mAP in the summary")
                .isNull();
    }

    private static List<Comparable<?>> keys(XYDataset data) {
        return IntStream.range(0, data.getSeriesCount())
                .<Comparable<?>>mapToObj(data::getSeriesKey)
                .toList();
    }
}
