package io.villa.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped chest X-ray vocabulary and triggers on the labelled sets: precision and recall of positive findings
 * at least 0.95 overall, and no negated mention ever read as positive. The per-observation table is written to
 * {@code target/labelled-set-*.md} (its figures are in BENCHMARKS.md).
 */
class LabelledSetTest {

    private final FindingExtractor extractor = FindingExtractor.standard(Vocabulary.shipped(Vocabulary.CHEST_XRAY));

    @ParameterizedTest
    @ValueSource(strings = {LabelledSet.DEVELOPMENT, LabelledSet.HELD_OUT})
    void positiveFindingsAreFoundAndNegatedOnesNever(String resource) throws IOException {
        List<LabelledSet.Example> examples = LabelledSet.read(resource);
        LabelledSet.Score score = LabelledSet.score(extractor, examples);
        Path out = Path.of("target", "labelled-set-" + resource.replace(".tsv", ".md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, examples.size() + " reports, " + score.sentences() + " sentences\n\n" + LabelledSet.table(score));

        assertThat(score.negatedAsPositive()).as("negated mentions read as positive").isEmpty();
        assertThat(score.overall().precision()).as("precision; misses: %s", score.errors()).isGreaterThanOrEqualTo(0.95);
        assertThat(score.overall().recall()).as("recall; misses: %s", score.errors()).isGreaterThanOrEqualTo(0.95);
    }

    @org.junit.jupiter.api.Test
    void theDevelopmentSetHasAtLeast200SentencesAndEveryObservation() throws IOException {
        List<LabelledSet.Example> examples = LabelledSet.read(LabelledSet.DEVELOPMENT);
        LabelledSet.Score score = LabelledSet.score(extractor, examples);
        assertThat(score.sentences()).isGreaterThanOrEqualTo(200);
        score.perAttribute().forEach((id, c) -> assertThat(c.support).as("positive examples of %s", id).isGreaterThanOrEqualTo(3));
        assertThat(examples).allSatisfy(e -> assertThat(extractor.vocabulary().ids()).containsAll(e.expected().keySet()));
    }
}
