package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DocMnistExpectationTest {

    private static final double[] BALANCED = balanced();

    @Test
    void targetFourWorkedByHand() {
        // shape first (2/3): 4 pairs, 1 region. No shape (1/3): 2 pairs, then no shape again (1/3): 4 pairs, 2 regions,
        // or a shape that does not fit (2/3): 2 pairs, 1 region.
        DocMnistExpectation e = DocMnistExpectation.of(4, BALANCED);
        assertThat(e.complexity()).isCloseTo(2.0 / 3 * 4 + 1.0 / 9 * 4 + 2.0 / 9 * 2, offset(1e-12));
        assertThat(e.regions()).isCloseTo(2.0 / 3 + 1.0 / 9 * 2 + 2.0 / 9, offset(1e-12));
        assertThat(e.shapedRegions()).isCloseTo(2.0 / 3, offset(1e-12));
    }

    @Test
    void atTheLargestTargetEveryImageHasNineUnbiasedRegions() {
        DocMnistExpectation e = DocMnistExpectation.of(36, BALANCED);
        assertThat(e.regions()).isCloseTo(9, offset(1e-12));
        assertThat(e.shapeShare()).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(e.complexity()).isCloseTo(30, offset(1e-12));
        assertThat(e.count("circle", 100)).isCloseTo(300, offset(1e-9));
        assertThat(e.count("small", 100)).isCloseTo(200, offset(1e-9));
        assertThat(e.count("red", 100)).isCloseTo(180, offset(1e-9));
        assertThat(e.count("seven", 100)).isCloseTo(90, offset(1e-9));
    }

    @Test
    void thePapersSetUpAveragesAbout15Point2() {
        // the paper's data directory at budget 30,000 and target 16 is docmnist_30000_15.2
        DocMnistExpectation e = DocMnistExpectation.of(16, BALANCED);
        assertThat(e.complexity()).isCloseTo(15.2, offset(0.05));
        assertThat(e.shapeShare()).isLessThan(2.0 / 3); // near the target only a region without a shape still fits
        assertThat(e.images(30_000)).isCloseTo(30_000 / e.complexity(), offset(1e-9));
    }

    private static double[] balanced() {
        double[] shares = new double[10];
        Arrays.fill(shares, 0.1);
        return shares;
    }
}
