package io.villa.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    @Test
    void chestXrayHasExactlyTheFourteenCheXpertObservations() {
        Vocabulary v = Vocabulary.shipped(Vocabulary.CHEST_XRAY);
        assertThat(v.ids())
                .containsExactlyInAnyOrder(
                        "atelectasis",
                        "cardiomegaly",
                        "consolidation",
                        "edema",
                        "enlarged cardiomediastinum",
                        "fracture",
                        "lung lesion",
                        "lung opacity",
                        "pleural effusion",
                        "pleural other",
                        "pneumonia",
                        "pneumothorax",
                        "support devices",
                        "no finding");
        assertThat(v.isNormal(v.indexOf("no finding"))).isTrue();
        assertThat(v.isNeutral(v.indexOf("support devices"))).isTrue();
        assertThat(v.typeNames()).containsExactly("finding", "device", "normal");
    }

    @Test
    void docMnistIsTheTwentyWordsEachItsOwnForm() {
        Vocabulary v = Vocabulary.shipped(Vocabulary.DOCMNIST);
        assertThat(v.size()).isEqualTo(20);
        assertThat(v.id(7)).isEqualTo("seven");
        assertThat(v.forms(7)).containsExactly("seven");
        assertThat(v.typeNames()).containsExactly("digit", "colour", "shape", "size");
    }

    @Test
    void namesAndPaths(@TempDir Path dir) throws IOException {
        assertThat(Vocabulary.named("chest-xray").size()).isEqualTo(14);
        assertThat(Vocabulary.named("DocMNIST").size()).isEqualTo(20);
        assertThat(Vocabulary.named(null).size()).isEqualTo(20);
        Path file = dir.resolve("site.txt");
        Files.write(
                file, List.of("# old format: one word per line", "pleural effusion", "Cardiomegaly", "cardiomegaly"));
        assertThat(Vocabulary.named(file.toString()).ids()).containsExactly("pleural effusion", "cardiomegaly");
        assertThatThrownBy(() -> Vocabulary.named(dir.resolve("missing.txt").toString()))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("neither a shipped one (docmnist, chest-xray) nor a file");
    }

    @Test
    void badFilesNameTheLineAndTheProblem() {
        assertThat(error("a: x | y\nb: y")).isEqualTo("test line 2: 'y' (from 'y') is already a form of 'a' (line 1)");
        assertThat(error("a: x |")).contains("line 1: an empty surface form");
        assertThat(error(": x")).contains("line 1: an attribute needs an id");
        assertThat(error("a\n@normal b")).contains("line 2: @normal names 'b', which is no attribute");
        assertThat(error("a\n@frequent a")).contains("line 2: unknown directive @frequent");
        assertThat(error("a: x, y")).contains("line 1: ',' cannot be part of a phrase");
        assertThat(error("# only a comment")).contains("test: the vocabulary has no attributes");
        assertThat(error("a\n@ignore: a")).contains("line 2: 'a' (from 'a') is already a form of 'a'");
    }

    @Test
    void wordsFromDataAreTakenLiterally() {
        Vocabulary v = Vocabulary.ofWords(List.of("a/b", "Size?", "a/b"), List.of("", "t", "u"));
        assertThat(v.ids()).containsExactly("a/b", "size?");
        assertThat(v.mentioned("the A-B size")).containsExactly(0, 1);
        assertThat(v.mentioned("a")).isEmpty();
        assertThat(v.types()).containsExactly("", "t");
    }

    @Test
    void oversizedLinesAreRejectedBeforeParsing() {
        assertThat(error("a: " + "x ".repeat(3000))).contains("line 1: line longer than 4096");
    }

    private static String error(String text) {
        try {
            Vocabulary.parse(new StringReader(text), "test");
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }

    @Test
    void triggerFilesAreCheckedToo() {
        assertThat(triggerError("no")).contains("line 1: a phrase before any [list] line");
        assertThat(triggerError("[pre-negation]\nno\n[pseudo]\nno"))
                .contains("line 4: 'no' is already in [pre-negation] (line 2)");
        assertThat(triggerError("[negation]\nno")).contains("line 1: unknown list [negation]");
        assertThat(triggerError("[counted-sections]\nfindings\n[skipped-sections]\nfindings"))
                .contains("line 4: section 'findings' is both");
        assertThat(triggerError("[termination]\n")).contains("no trigger phrases");
    }

    private static String triggerError(String text) {
        try {
            Triggers.parse(new StringReader(text), "test");
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }
}
