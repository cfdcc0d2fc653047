package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What DocMNIST to generate: builder defaults, toBuilder, and checks that name the bad field and value. */
class DocMnistConfigTest {

    @Test
    void defaultsAreTheReferenceGeneratorsBudgets() {
        assertThat(DocMnistConfig.defaults()).isEqualTo(new DocMnistConfig(42, 8, 30_000, 10_000, 10_000, false));
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        DocMnistConfig config = DocMnistConfig.builder()
                .optSeed(7)
                .optTargetComplexity(16)
                .optBudgets(1, 2, 3)
                .optContinuous(true)
                .build();
        assertThat(config).isEqualTo(new DocMnistConfig(7, 16, 1, 2, 3, true));
        assertThat(config.toBuilder().optSeed(8).build()).isEqualTo(new DocMnistConfig(8, 16, 1, 2, 3, true));
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() -> DocMnistConfig.builder().optTargetComplexity(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetComplexity must be within 4..36, got 3");
        assertThatThrownBy(() -> DocMnistConfig.builder().optBudgets(10, -1, 0).build())
                .hasMessage("valBudget must be >= 0, got -1");
    }
}
