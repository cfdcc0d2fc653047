package io.villa.flink.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.language.Triggers;
import io.villa.language.UncertainPolicy;
import io.villa.schemas.DocMnistAttributes;

class AttributeExtractorTest {

    private final AttributeExtractor docMnist = new AttributeExtractor(AttributeVocabulary.docMnist());

    @Test
    void docMnistVocabularyHasTheTwentyWordsInTheSchemasOrder() {
        AttributeVocabulary v = AttributeVocabulary.docMnist();
        assertThat(v.words()).isEqualTo(DocMnistAttributes.ALL);
        assertThat(v.indexOf("Seven")).isEqualTo(7);
        assertThat(v.indexOf("purple")).isEqualTo(14);
        assertThat(v.indexOf("triangle")).isEqualTo(-1);
    }

    @Test
    void splitsDocMnistReportsOnSpacedDots() {
        assertThat(AttributeExtractor.sentences("the color is red . the number is a seven . the shape is a circle"))
                .containsExactly("the color is red", "the number is a seven", "the shape is a circle");
    }

    @Test
    void splitsOrdinaryPunctuationAndKeepsDecimals() {
        assertThat(AttributeExtractor.sentences("Mild effusion. Nodule of 3.5 cm!  No pneumothorax?\nStable"))
                .containsExactly("Mild effusion", "Nodule of 3.5 cm", "No pneumothorax", "Stable");
        assertThat(AttributeExtractor.sentences("  .  ")).isEmpty();
        assertThat(AttributeExtractor.sentences(null)).isEmpty();
    }

    @Test
    void findsWholeWordsCaseInsensitivelyWithTheirSentences() {
        ExtractedAttributes found =
                docMnist.extract("The color is RED . the number is a seven . seventeen . the shape size is small");
        AttributeVocabulary v = docMnist.vocabulary();
        assertThat(found.present()).containsExactly(v.indexOf("seven"), v.indexOf("red"), v.indexOf("small"));
        assertThat(found.firstSentence(v.indexOf("red"))).isEqualTo("The color is RED");
        assertThat(found.sentenceIndexes().get(v.indexOf("seven"))).containsExactly(1);
    }

    @Test
    void reportWithoutVocabularyWordsHasNoAttributes() {
        assertThat(docMnist.extract("nothing to see here").isEmpty()).isTrue();
    }

    @Test
    void userVocabularyFromFileMatchesPhrasesAndNegationsAreNotAttributes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("findings.txt");
        Files.write(file, List.of("# radiology findings", "pleural effusion", "", "Cardiomegaly", "cardiomegaly"));
        AttributeVocabulary v = AttributeVocabulary.fromFile(file);
        assertThat(v.words()).containsExactly("pleural effusion", "cardiomegaly");
        ExtractedAttributes found =
                new AttributeExtractor(v).extract("Small left Pleural  effusions. Stable cardiomegaly-related change.");
        assertThat(found.present()).containsExactly(0, 1);
        assertThat(new AttributeExtractor(v).extract("effusion only").isEmpty()).isTrue();
        assertThat(new AttributeExtractor(v)
                        .extract("No pleural effusion. Cardiomegaly cannot be excluded.")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void theUncertainPolicyDecidesWhetherHedgedMentionsCount() throws IOException {
        AttributeVocabulary chest = AttributeVocabulary.named("chest-xray");
        String report =
                "INDICATION: pneumonia. FINDINGS: Possible left lower lobe pneumonia. No pneumothorax. Small effusion.";
        ExtractedAttributes ignore =
                new AttributeExtractor(chest, Triggers.standard(), UncertainPolicy.IGNORE).extract(report);
        ExtractedAttributes positive =
                new AttributeExtractor(chest, Triggers.standard(), UncertainPolicy.POSITIVE).extract(report);
        assertThat(ignore.present()).containsExactly(chest.indexOf("pleural effusion"));
        assertThat(positive.present())
                .containsExactlyInAnyOrder(chest.indexOf("pleural effusion"), chest.indexOf("pneumonia"));
        assertThat(positive.sentenceIndexes().get(chest.indexOf("pneumonia"))).containsExactly(1);
        assertThat(positive.sentences())
                .containsExactly(
                        "pneumonia", "Possible left lower lobe pneumonia", "No pneumothorax", "Small effusion");
    }

    @Test
    void aVocabularyFileMayGiveItsWordsTypes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typed.txt");
        Files.write(
                file,
                List.of(
                        "# untyped first",
                        "nodule",
                        "[Finding]",
                        "pleural effusion",
                        "cardiomegaly",
                        "",
                        "[device]",
                        "pacemaker",
                        "[]",
                        "stable"));
        AttributeVocabulary v = AttributeVocabulary.fromFile(file);
        assertThat(v.words()).containsExactly("nodule", "pleural effusion", "cardiomegaly", "pacemaker", "stable");
        assertThat(v.typeNames()).containsExactly("finding", "device");
        assertThat(v.typeIndexes()).containsExactly(-1, 0, 0, 1, -1);
        assertThat(v.type(3)).isEqualTo("device");
        assertThat(v.type(4)).isEmpty();
    }

    @Test
    void docMnistWordsAreTypedAndAPlainListIsNot() {
        AttributeVocabulary v = AttributeVocabulary.docMnist();
        assertThat(v.typeNames()).containsExactly("digit", "colour", "shape", "size");
        assertThat(v.type(v.indexOf("seven"))).isEqualTo("digit");
        assertThat(v.type(v.indexOf("purple"))).isEqualTo("colour");
        assertThat(v.type(v.indexOf("circle"))).isEqualTo("shape");
        assertThat(v.type(v.indexOf("large"))).isEqualTo("size");
        assertThat(new AttributeVocabulary(List.of("a", "b")).typeNames()).isEmpty();
    }

    @Test
    void vocabulariesByNameOrPathAndAShippedOneForItsWords(@TempDir Path dir) throws IOException {
        assertThat(AttributeVocabulary.named(null).words()).isEqualTo(DocMnistAttributes.ALL);
        assertThat(AttributeVocabulary.named("chest-xray").size()).isEqualTo(14);
        List<String> chestIds = AttributeVocabulary.named("chest-xray").words();
        assertThat(AttributeVocabulary.forWords(chestIds).language().forms(chestIds.indexOf("pleural effusion")))
                .contains("effusion");
        assertThat(AttributeVocabulary.forWords(List.of("x", "y")).words()).containsExactly("x", "y");
        Path file = dir.resolve("empty.txt");
        Files.write(file, List.of("# nothing", " "));
        assertThatThrownBy(() -> AttributeVocabulary.fromFile(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no attributes");
        assertThatThrownBy(() -> AttributeVocabulary.named("chest"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chest: no such vocabulary");
    }
}
