package io.villa.flink.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

/** How pairs are cut into regions: the --grid value and the checks that name the bad field and value. */
class PrepareConfigTest {

    @Test
    void aGridIsRowsByColumnsInEitherCase() {
        assertThat(Grid.parse("3x3")).isEqualTo(new Grid(3, 3));
        assertThat(Grid.parse(" 2 X 4 ")).isEqualTo(new Grid(2, 4));
        assertThat(new Grid.Converter().convert("1x5")).isEqualTo(new Grid(1, 5));
    }

    @Test
    void aMalformedGridSaysWhatItShouldLookLike() {
        for (String bad : new String[] {"3", "3x", "x3", "3x3x3", "threexthree", "0x3", "3x-1"}) {
            assertThatThrownBy(() -> new Grid.Converter().convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> Grid.parse("3by3")).hasMessage("grid must look like 3x3 (ROWSxCOLS), got 3by3");
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() -> new PrepareConfig(0, 3, 8, 28))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gridRows must be >= 1, got 0");
        assertThatThrownBy(() -> new PrepareConfig(3, 3, 0, 28)).hasMessage("minRegionSize must be >= 1, got 0");
        assertThatThrownBy(() -> new PrepareConfig(3, 3, 8, 2)).hasMessage("regionSize must be >= 4, got 2");
        assertThat(PrepareConfig.defaults()).isEqualTo(new PrepareConfig(3, 3, 8, 28));
    }
}
