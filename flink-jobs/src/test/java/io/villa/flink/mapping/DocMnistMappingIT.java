package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.bench.MappingBenchmark;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;

/**
 * The mapping model on real DocMNIST (MNIST digits), small: it must learn region-attribute assignments from
 * image-level reports only, and validation F1 must rise well above what an untrained model gets and above assigning
 * every attribute of the report to every region.
 * (The full set-up, 30,000 pairs at complexity 16, is the benchmark: BENCHMARKS.md.)
 */
class DocMnistMappingIT {

    @Test
    void learnsDocMnistAssignmentsFromReportsOnly() throws IOException {
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optSeed(3)
                        .optTargetComplexity(8)
                        .optBudgets(8_000, 2_000, 0)
                        .build());
        AttributeExtractor extractor = new AttributeExtractor(AttributeVocabulary.docMnist());
        MappingConfig config =
                MappingConfig.builder().optWarmup(256, 60).optPasses(16).build();
        List<MappingExample> train =
                MappingBenchmark.examples(generator.records(Split.TRAIN), extractor, 28, Integer.MAX_VALUE);
        List<MappingExample> val =
                MappingBenchmark.examples(generator.records(Split.VAL), extractor, 28, Integer.MAX_VALUE);
        try (MappingLearner learner = new MappingLearner(config, 20);
                MappingLearner untrained = new MappingLearner(config, 20)) {
            train.forEach(learner::learn);
            double before = MappingLearnerIT.quality(untrained, val).f1();
            double trivial = MappingLearnerIT.everythingEverywhere(val).f1();
            MappingQuality.Counts after = MappingLearnerIT.quality(learner, val);
            System.out.printf(
                    "DocMNIST small: %d train images, version %d, val F1 untrained %.3f, every attribute everywhere %.3f -> %s%n",
                    train.size(), learner.version(), before, trivial, after);
            assertThat(learner.isWarm()).isTrue();
            assertThat(after.f1())
                    .isGreaterThan(0.8)
                    .isGreaterThan(before + 0.2)
                    .isGreaterThan(trivial + 0.2);
        }
    }
}
