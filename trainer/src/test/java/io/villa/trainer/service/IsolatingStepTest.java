package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.trainer.ColourSquares;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.text.TokenBudget;

/** A real DJL model: a record that makes its batch's step fail is taken out and the rest of the batch trains. */
class IsolatingStepTest {

    private static final TrainerConfig SETTINGS =
            TrainerConfig.builder().optBatchSize(8).optDevice("cpu").build();

    @Test
    void aRecordThatBreaksTheStepAloneIsPoisonedOutAndTheOthersTrain() throws Exception {
        List<Example> batch = new ArrayList<>(ColourSquares.make(8, SETTINGS.imageSize(), 5));
        // an image of the wrong size: the image tensor cannot be built with it in the batch
        Example broken = broken();
        batch.set(3, broken);
        try (ContrastiveModel model = ContrastiveModel.create(SETTINGS, 2)) {
            Map<String, float[]> before = model.parameterValues();
            IsolatingStep<Example> step = new IsolatingStep<>(model, TokenBudget.forBatch(8, 64), e -> e);

            IsolatingStep.Result<Example> result = step.train(batch);

            assertThat(result.trained()).hasSize(7).doesNotContain(broken);
            assertThat(result.loss()).isFinite();
            assertThat(result.poisoned()).singleElement().satisfies(p -> {
                assertThat(p.item()).isSameAs(broken);
                assertThat(p.reason().getMessage()).contains("17 bytes");
            });
            assertThat(model.parameterValues())
                    .anySatisfy(
                            (path, values) -> assertThat(values).isNotEqualTo(before.get(path))); // the step did learn
        }
    }

    private static Example broken() {
        return Example.builder()
                .setKey("broken#0")
                .setImage(new WholeImage(new byte[17], SETTINGS.imageSize(), 84, 84))
                .setBox(RegionBox.whole(SETTINGS.imageSize()))
                .setText("the color is red")
                .optAttributes(List.of("red"))
                .build();
    }

    @Test
    void whenAllButOneArePoisonedTheLastWaitsForTheNextBatch() throws Exception {
        List<Example> good = ColourSquares.make(1, SETTINGS.imageSize(), 6);
        Example broken = broken();
        try (ContrastiveModel model = ContrastiveModel.create(SETTINGS, 2)) {
            IsolatingStep.Result<Example> result = new IsolatingStep<Example>(
                            model, TokenBudget.forBatch(8, 64), e -> e)
                    .train(List.of(good.get(0), broken));
            assertThat(result.trained()).isEmpty();
            assertThat(result.loss()).isNaN();
            assertThat(result.leftOver()).containsExactly(good.get(0));
            assertThat(result.poisoned())
                    .extracting(IsolatingStep.Poisoned::item)
                    .containsExactly(broken);
        }
    }
}
