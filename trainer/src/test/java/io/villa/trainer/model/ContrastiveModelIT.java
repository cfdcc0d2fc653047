package io.villa.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.villa.trainer.ColourSquares;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;

class ContrastiveModelIT {

    @Test
    void lossFallsAndMatchingTextScoresHighest() throws Exception {
        // 28-pixel images (each one square): the test is about learning, not about the image size
        TrainerConfig settings = TrainerConfig.builder()
                .optBatchSize(32)
                .optDevice("cpu")
                .optImageSize(28)
                .optEmbeddingDim(64)
                .optTokenDim(64)
                .build();
        List<Example> data = ColourSquares.make(32 * 30, settings.imageSize(), 1);
        try (ContrastiveModel model = ContrastiveModel.create(settings, 2)) {
            float first = 0;
            float last = 0;
            long t0 = System.nanoTime();
            for (int step = 0; step < 30; step++) {
                float loss = model.trainStep(data.subList(step * 32, step * 32 + 32));
                if (step < 3) {
                    first += loss / 3;
                }
                if (step >= 27) {
                    last += loss / 3;
                }
            }
            System.out.printf("first %.3f last %.3f, %.1f ms/step%n", first, last, (System.nanoTime() - t0) / 1e6 / 30);
            assertThat(last).isLessThan(first * 0.8f);

            float[][] texts = model.embedTexts(
                    List.of("the color is red", "the color is green", "the color is blue", "the color is yellow"));
            List<Example> probe = ColourSquares.make(40, settings.imageSize(), 99);
            float[][] images =
                    model.embedRegions(probe.stream().map(Example::region).toList());
            int correct = 0;
            for (int i = 0; i < probe.size(); i++) {
                int best = 0;
                for (int t = 1; t < texts.length; t++) {
                    if (dot(images[i], texts[t]) > dot(images[i], texts[best])) {
                        best = t;
                    }
                }
                if (ColourSquares.COLOURS[best].equals(probe.get(i).attributes().get(0))) {
                    correct++;
                }
            }
            assertThat(correct).as("correct colour of 40 (chance 10)").isGreaterThan(25);
        }
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
