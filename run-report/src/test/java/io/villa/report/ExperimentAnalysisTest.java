package io.villa.report;

import static io.villa.report.ExperimentFixtures.Retrieval;
import static io.villa.report.ExperimentFixtures.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.report.ExperimentSummary.Cell;
import io.villa.report.ExperimentSummary.Row;
import io.villa.report.ExperimentSummary.Shape;
import io.villa.report.ExperimentSummary.Stat;

class ExperimentAnalysisTest {

    private static final double EPS = 1e-9;

    @Test
    void twoSeedsGiveTheirMeanAndSampleSpreadAndRowsAreSortedByComplexity() {
        List<Cell> cells = List.of(
                cell(16, 1, new Retrieval(0.5, 0.4, 0.3, 0.2)),
                cell(4, 1, new Retrieval(0.5, 0.6, 0.4, 0.5)),
                cell(4, 2, new Retrieval(0.7, 0.6, 0.4, 0.3)));

        ExperimentSummary summary = ExperimentFixtures.summary(cells);

        assertThat(summary.cells()).containsExactlyElementsOf(cells);
        assertThat(summary.rows()).extracting(Row::targetComplexity).containsExactly(4, 16);
        Row four = summary.rows().get(0);
        assertThat(four.seeds()).isEqualTo(2);
        Stat t2r = four.modes().get("villa").get("t2r.rprecision");
        assertThat(t2r.n()).isEqualTo(2);
        assertThat(t2r.mean()).isCloseTo(0.6, within(EPS));
        assertThat(t2r.spread()).as("sample standard deviation").isCloseTo(Math.sqrt(0.02), within(EPS));
        assertThat(t2r.min()).isEqualTo(0.5);
        assertThat(t2r.max()).isEqualTo(0.7);
        Stat clipR2t = four.modes().get("clip").get("r2t.rprecision");
        assertThat(clipR2t.mean()).isCloseTo(0.4, within(EPS));
        assertThat(clipR2t.spread()).isCloseTo(Math.sqrt(0.02), within(EPS));
        Stat same = four.modes().get("clip").get("t2r.rprecision");
        assertThat(same.spread()).as("equal values spread 0").isCloseTo(0.0, within(EPS));
        assertThat(four.modes().get("villa")).containsKeys("t2r.precision@10", "t2r.map", "r2t.precision@1", "r2t.map",
                "t2r.rprecision.chance", ExperimentAnalysis.STEPS);
        assertThat(four.modes().get("villa").get("steps").mean()).isCloseTo(1201.5, within(EPS));
        assertThat(four.averageComplexity().mean()).isCloseTo((3.65 + 3.7) / 2, within(EPS));
        assertThat(four.mapping()).containsOnlyKeys("precision", "recall", "f1");
        assertThat(four.mapping().get("f1").mean()).isCloseTo(0.83, within(EPS));
        assertThat(summary.paper()).isEqualTo(ExperimentSummary.Paper.figures());
        assertThat(summary.settings()).containsEntry("seeds", "1,2");
    }

    @Test
    void oneSeedHasNoSpreadAndAFigureACellLacksIsCountedWhereMeasured() {
        Cell one = cell(8, 1, new Retrieval(0.5, 0.4, 0.3, 0.2));
        Cell other = cell(8, 2, new Retrieval(0.7, 0.4, 0.3, 0.2));
        other.modes().get("villa").test().remove("t2r.map");
        other.modes().get("villa").test().put("r2t.map", Double.NaN);

        Row row = ExperimentAnalysis.rows(List.of(one, other)).get(0);
        Row single = ExperimentAnalysis.rows(List.of(one)).get(0);

        assertThat(row.modes().get("villa").get("t2r.map")).isEqualTo(new Stat(1, 0.45, 0.0, 0.45, 0.45));
        assertThat(row.modes().get("villa").get("r2t.map").n()).as("NaN is not a measurement").isEqualTo(1);
        assertThat(single.modes().get("villa").get("t2r.rprecision")).isEqualTo(new Stat(1, 0.5, 0.0, 0.5, 0.5));
        assertThat(ExperimentAnalysis.stat(List.of())).isEqualTo(new Stat(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    }

    @Test
    void theShapeHoldsWithItsFalls() {
        Shape shape = ExperimentFixtures.summary(ExperimentFixtures.holding()).shape();

        assertThat(shape.lowestComplexity()).isEqualTo(4);
        assertThat(shape.highestComplexity()).isEqualTo(32);
        assertThat(shape.clipT2rFallPercent()).isCloseTo(50.0, within(EPS));
        assertThat(shape.clipR2tFallPercent()).isCloseTo(100 * (0.56 - 0.38) / 0.56, within(EPS));
        assertThat(shape.villaT2rFallPercent()).isCloseTo(100 * 0.1 / 0.7, within(EPS));
        assertThat(shape.villaR2tFallPercent()).isCloseTo(100 * 0.1 / 0.66, within(EPS));
        assertThat(shape.villaT2rGain()).as("(18 + 24 + 30) / 3 points").isCloseTo(24.0, within(EPS));
        assertThat(shape.villaR2tGain()).as("(14 + 16 + 18) / 3 points").isCloseTo(16.0, within(EPS));
        assertThat(shape.clipFalls()).isTrue();
        assertThat(shape.villaHoldsUp()).isTrue();
        assertThat(shape.villaAheadFrom8()).isTrue();
        assertThat(shape.holds()).isTrue();
        assertThat(shape.notes()).isEmpty();
    }

    @Test
    void clipThatHardlyFallsFailsWithANote() {
        List<Cell> cells = List.of(cell(4, 1, new Retrieval(0.7, 0.6, 0.6, 0.5)), cell(32, 1, new Retrieval(0.7, 0.6, 0.54, 0.5)));

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.clipT2rFallPercent()).isCloseTo(10.0, within(EPS));
        assertThat(shape.clipFalls()).isFalse();
        assertThat(shape.villaHoldsUp()).as("villa's 0% is under half of 10%").isTrue();
        assertThat(shape.villaAheadFrom8()).isTrue();
        assertThat(shape.holds()).isFalse();
        assertThat(shape.notes()).containsExactly(
                "clip's text->region R-precision falls 10.000% from complexity 4 to 32, less than 25%");
    }

    @Test
    void villaThatFallsLikeClipFailsWithANote() {
        List<Cell> cells = List.of(cell(4, 1, new Retrieval(0.8, 0.6, 0.6, 0.5)), cell(32, 1, new Retrieval(0.6, 0.55, 0.3, 0.3)));

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.villaT2rFallPercent()).isCloseTo(25.0, within(EPS));
        assertThat(shape.clipFalls()).isTrue();
        assertThat(shape.villaHoldsUp()).as("25% is not under half of 50%").isFalse();
        assertThat(shape.holds()).isFalse();
        assertThat(shape.notes()).containsExactly("villa's text->region R-precision falls 25.000% from complexity 4 to 32, "
                + "not less than half of clip's 50.000%");
    }

    @Test
    void villaBehindClipAtOneComplexityFromEightFailsWithThatComplexitysNumbers() {
        List<Cell> cells = new ArrayList<>(ExperimentFixtures.holding());
        cells.set(3, cell(16, 1, new Retrieval(0.64, 0.40, 0.40, 0.44)));   // region->text behind at 16

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.clipFalls()).isTrue();
        assertThat(shape.villaHoldsUp()).isTrue();
        assertThat(shape.villaAheadFrom8()).isFalse();
        assertThat(shape.holds()).isFalse();
        assertThat(shape.villaR2tGain()).isCloseTo((14 - 4 + 18) / 3.0, within(EPS));
        assertThat(shape.notes()).containsExactly("villa is not ahead of clip at complexity 16: text->region R-precision "
                + "0.640 vs 0.400, region->text 0.400 vs 0.440");
    }

    @Test
    void withoutComplexitiesFromEightVillasLeadCannotBeJudged() {
        List<Cell> cells = List.of(cell(2, 1, new Retrieval(0.8, 0.7, 0.6, 0.5)), cell(4, 1, new Retrieval(0.8, 0.7, 0.4, 0.4)));

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.clipFalls()).isTrue();
        assertThat(shape.villaAheadFrom8()).isFalse();
        assertThat(shape.villaT2rGain()).isNaN();
        assertThat(shape.notes()).containsExactly("no complexity of 8 or more finished, so villa's lead there cannot be judged");
    }

    @Test
    void oneRowOnlyCannotBeJudged() {
        List<Cell> cells = List.of(cell(8, 1, new Retrieval(0.8, 0.7, 0.6, 0.5)), cell(8, 2, new Retrieval(0.8, 0.7, 0.6, 0.5)));

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.lowestComplexity()).isEqualTo(8);
        assertThat(shape.highestComplexity()).isEqualTo(8);
        assertThat(List.of(shape.clipT2rFallPercent(), shape.clipR2tFallPercent(), shape.villaT2rFallPercent(),
                shape.villaR2tFallPercent(), shape.villaT2rGain(), shape.villaR2tGain())).allMatch(d -> d.isNaN());
        assertThat(List.of(shape.clipFalls(), shape.villaHoldsUp(), shape.villaAheadFrom8(), shape.holds())).containsOnly(false);
        assertThat(shape.notes()).containsExactly("only 1 target complexity finished: the shape needs at least two");
        assertThat(ExperimentFixtures.summary(List.of()).shape().notes())
                .containsExactly("only 0 target complexities finished: the shape needs at least two");
    }

    @Test
    void withoutClipTheShapeCannotBeJudged() {
        Retrieval r = new Retrieval(0.8, 0.7, 0.6, 0.5);
        Map<String, ExperimentSummary.ModeResult> villaOnly = Map.of("villa", ExperimentFixtures.modes(r, 10).get("villa"));
        List<Cell> cells = List.of(ExperimentFixtures.cell(4, 1, 3.5, r, villaOnly), ExperimentFixtures.cell(32, 1, 28.0, r, villaOnly));

        Shape shape = ExperimentFixtures.summary(cells).shape();

        assertThat(shape.holds()).isFalse();
        assertThat(shape.clipT2rFallPercent()).isNaN();
        assertThat(shape.notes()).containsExactly(
                "no clip model at complexity 4: the shape needs both villa and clip at the lowest and highest complexity");
    }
}
