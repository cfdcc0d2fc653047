package io.villa.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private final SentenceSplitter splitter = SentenceSplitter.standard();

    @Test
    void docMnistReportsSplitOnSpacedStops() {
        assertThat(splitter.split("the color is red . the number is a seven . the shape is a circle"))
                .containsExactly("the color is red", "the number is a seven", "the shape is a circle");
    }

    @Test
    void ordinaryPunctuationEndsSentencesAndDecimalsDoNot() {
        assertThat(splitter.split("Mild effusion. Nodule of 3.5 cm!  No pneumothorax?\nStable"))
                .containsExactly("Mild effusion", "Nodule of 3.5 cm", "No pneumothorax", "Stable");
        assertThat(splitter.split("Effusion; no pneumothorax")).containsExactly("Effusion", "no pneumothorax");
        assertThat(splitter.split("  .  ")).isEmpty();
        assertThat(splitter.split(null)).isEmpty();
        assertThat(splitter.split("")).isEmpty();
    }

    @Test
    void abbreviationsAndInitialsDoNotEndASentence() {
        assertThat(splitter.split("Discussed with Dr. Smith at 3 p.m. today. Nodule approx. 2 cm, e.g. a granuloma. "
                        + "Atelectasis vs. pneumonia."))
                .containsExactly(
                        "Discussed with Dr. Smith at 3 p.m. today",
                        "Nodule approx. 2 cm, e.g. a granuloma",
                        "Atelectasis vs. pneumonia");
        assertThat(splitter.split("Seen by J. Doe. Stable")).containsExactly("Seen by J. Doe", "Stable");
    }

    @Test
    void listNumbersAndBulletsAreNotSentences() {
        assertThat(splitter.split("1. No pneumothorax. 2. Small effusion. 3) Cardiomegaly."))
                .containsExactly("No pneumothorax", "Small effusion", "Cardiomegaly");
        assertThat(splitter.split("IMPRESSION: 1. No pneumothorax. 2. Small effusion."))
                .containsExactly("IMPRESSION: No pneumothorax", "Small effusion");
        assertThat(splitter.split("- Small effusion\n- No consolidation\n(3) Stable"))
                .containsExactly("Small effusion", "No consolidation", "Stable");
        // a number that ends a sentence still ends it
        assertThat(splitter.split("Fracture of rib 5. No pneumothorax."))
                .containsExactly("Fracture of rib 5", "No pneumothorax");
    }

    @Test
    void hostileTextSplitsInLinearTime() {
        long start = System.nanoTime();
        assertThat(splitter.split("x: 5. ".repeat(11_000) + "a".repeat(60_000) + ". "))
                .hasSize(1); // no stop after a header ends one
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
    }

    @Test
    void wrappedLinesAreJoinedAndItemsAreNot() {
        assertThat(splitter.split("There is a small left\npleural effusion.\nNo pneumothorax\nMild cardiomegaly"))
                .containsExactly("There is a small left pleural effusion", "No pneumothorax", "Mild cardiomegaly");
        assertThat(splitter.split("FINDINGS\nthe lungs are clear\n\nno effusion"))
                .containsExactly("FINDINGS", "the lungs are clear", "no effusion");
        assertThat(splitter.split("a\r\nb.\rC")).containsExactly("a b", "C");
    }

    @Test
    void upperCaseHeadersInsideALineStartASentence() {
        assertThat(
                        splitter.split(
                                "EXAMINATION: CHEST (PA AND LAT) INDICATION: cough FINDINGS: small effusion IMPRESSION: effusion"))
                .containsExactly(
                        "EXAMINATION: CHEST (PA AND LAT)",
                        "INDICATION: cough",
                        "FINDINGS: small effusion",
                        "IMPRESSION: effusion");
        assertThat(splitter.split("CLINICAL HISTORY: cough")).containsExactly("CLINICAL HISTORY: cough");
        assertThat(splitter.split("The ET tube and NG tube: in place"))
                .containsExactly("The ET tube and NG tube: in place");
    }
}
