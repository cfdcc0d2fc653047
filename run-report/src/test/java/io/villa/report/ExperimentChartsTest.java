package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

import io.villa.report.ExperimentSummary.Row;

class ExperimentChartsTest {

    private static final List<Row> ROWS = ExperimentFixtures.summary(ExperimentFixtures.holding()).rows();

    @Test
    void eachModeIsItsMeanWithAMinToMaxBandAndChanceIsDashed() {
        JFreeChart chart = ExperimentCharts.chart("t", ROWS, ShapeCheck.T2R);

        IntervalXYDataset data = (IntervalXYDataset) chart.getXYPlot().getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(3);
        assertThat(data.getSeriesKey(0)).isEqualTo("villa");
        assertThat(data.getSeriesKey(1)).isEqualTo("clip");
        assertThat(data.getSeriesKey(2)).isEqualTo(Charts.CHANCE_ROW);
        assertThat(data.getItemCount(1)).isEqualTo(4);
        assertThat(data.getXValue(1, 0)).as("x is the mean average complexity").isEqualTo(ROWS.get(0).averageComplexity().mean());
        assertThat(data.getYValue(1, 0)).isEqualTo(ROWS.get(0).modes().get("clip").get("t2r.rprecision").mean());
        assertThat(data.getStartYValue(1, 0)).isEqualTo(0.58);
        assertThat(data.getEndYValue(1, 0)).isEqualTo(0.62);
        assertThat(data.getYValue(2, 3)).isEqualTo(0.05);
        DeviationRenderer renderer = (DeviationRenderer) chart.getXYPlot().getRenderer();
        assertThat(renderer.getSeriesStroke(2)).isEqualTo(Charts.DASHED);
        assertThat(renderer.getSeriesStroke(0)).isEqualTo(Charts.SOLID);
    }

    @Test
    void withoutAverageComplexityTheAxisIsTheTarget() {
        Row first = ROWS.get(0);
        Row noAverage = new Row(first.targetComplexity(), first.seeds(), new ExperimentSummary.Stat(0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN), first.mapping(), first.modes());

        JFreeChart chart = ExperimentCharts.chart("t", List.of(noAverage, ROWS.get(1)), ShapeCheck.R2T);

        assertThat(chart.getXYPlot().getDataset().getXValue(0, 0)).isEqualTo(4.0);
        assertThat(chart.getXYPlot().getDomainAxis().getLabel()).isEqualTo("target complexity");
    }

    @Test
    void chartsAreDecodablePngsAndNoRowsGiveANoDataChart() {
        for (List<Row> rows : List.of(ROWS, List.<Row>of())) {
            BufferedImage image = Fixtures.decode(ExperimentCharts.curves("t", rows, ShapeCheck.T2R, 640, 320));
            assertThat(image).isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(320);
        }
        JFreeChart empty = ExperimentCharts.chart("t", List.of(), ShapeCheck.T2R);
        assertThat(DatasetUtils.isEmptyOrNull(empty.getXYPlot().getDataset())).isTrue();
        assertThat(empty.getXYPlot().getNoDataMessage()).isEqualTo(Charts.NO_DATA);
    }
}
