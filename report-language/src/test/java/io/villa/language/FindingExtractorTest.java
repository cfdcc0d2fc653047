package io.villa.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Negation, uncertainty, sections and the normal-report rule, with a small vocabulary and the shipped triggers. */
class FindingExtractorTest {

    private static final Vocabulary VOCABULARY = vocabulary("""
            [finding]
            effusion: pleural effusion | effusion
            pneumothorax: pneumothorax
            cardiomegaly: cardiomegaly | heart size? is mildly/moderately? enlarged
            edema: edema | pulmonary edema
            pneumonia: pneumonia
            [device]
            device: et tube | picc
            [normal]
            normal: no acute cardiopulmonary process | lungs are clear
            @ignore: pericardial effusion
            @normal normal
            @neutral device
            """);

    private final FindingExtractor extractor = FindingExtractor.standard(VOCABULARY);

    private static Vocabulary vocabulary(String text) {
        try {
            return Vocabulary.parse(new StringReader(text), "test");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** "id:polarity@sentence" per finding. */
    private List<String> read(String report) {
        return extractor.extract(report).findings().stream()
                .map(f -> VOCABULARY.id(f.attribute()) + ":" + f.polarity().label() + "@" + f.sentence()).toList();
    }

    @Test
    void negationBeforeReachesEveryMentionOfAList() {
        assertThat(read("No pneumothorax or pleural effusion.")).containsExactly("pneumothorax:negated@0", "effusion:negated@0");
        assertThat(read("There is no evidence of pneumothorax, pleural effusion, edema or pneumonia."))
                .containsExactly("pneumothorax:negated@0", "effusion:negated@0", "edema:negated@0", "pneumonia:negated@0");
        assertThat(read("Cardiomegaly without pulmonary edema.")).containsExactly("cardiomegaly:positive@0", "edema:negated@0");
    }

    @Test
    void negationAfterTheMention() {
        assertThat(read("Pneumothorax is not seen. The effusion has resolved. The ET tube has been removed."))
                .containsExactly("pneumothorax:negated@0", "effusion:negated@1", "device:negated@2");
    }

    @Test
    void uncertaintyAndDoubleNegation() {
        assertThat(read("Possible small effusion. Pneumonia cannot be excluded. Cannot rule out pneumothorax. Edema is not excluded."))
                .containsExactly("effusion:uncertain@0", "pneumonia:uncertain@1", "pneumothorax:uncertain@2", "edema:uncertain@3");
        assertThat(read("Opacity may represent pneumonia versus edema."))
                .containsExactly("pneumonia:uncertain@0", "edema:uncertain@0");
    }

    @Test
    void pseudoNegationsAreNoNegations() {
        assertThat(read("No change in cardiomegaly. Effusion, not significantly changed. No increase in pneumothorax."))
                .containsExactly("cardiomegaly:positive@0", "effusion:positive@1", "pneumothorax:positive@2");
    }

    @Test
    void scopeEndsAtTerminationsAndClauseEnds() {
        assertThat(read("No pneumothorax, but a small effusion. No edema; cardiomegaly. No pneumonia, however the heart size is enlarged."))
                .containsExactly("pneumothorax:negated@0", "effusion:positive@0", "edema:negated@1", "cardiomegaly:positive@2",
                        "pneumonia:negated@3", "cardiomegaly:positive@3"); // ';' ends a sentence
        assertThat(read("Edema: no effusion")).containsExactly("edema:positive@0", "effusion:negated@0");
        assertThat(read("No effusion: edema")).containsExactly("effusion:negated@0", "edema:positive@0");
    }

    @Test
    void aWindowLimitsHowFarATriggerReaches() {
        assertThat(read("No acute osseous abnormality is demonstrated in the visualized thoracic spine or ribs with pneumonia"))
                .containsExactly("pneumonia:positive@0");
    }

    @Test
    void onlyCountedSectionsCount() {
        assertThat(read("INDICATION: rule out pneumonia. HISTORY: effusion. FINDINGS: Small effusion. IMPRESSION: Cardiomegaly."))
                .containsExactly("effusion:positive@2", "cardiomegaly:positive@3");
        assertThat(extractor.extract("INDICATION: rule out pneumonia. FINDINGS: Small effusion.").sentenceTexts())
                .containsExactly("rule out pneumonia", "Small effusion");
        assertThat(read("Comparison:\nPneumothorax.\n\nImpression:\nEffusion.")).containsExactly("effusion:positive@1");
        assertThat(read("Effusion. Lungs: clear of edema.")).containsExactly("effusion:positive@0", "edema:negated@1");
    }

    @Test
    void aNormalReportIsNormalOnlyWhenNothingElseIsFound() {
        assertThat(read("Lungs are clear. No effusion.")).containsExactly("normal:positive@0", "effusion:negated@1");
        assertThat(read("Lungs are clear. PICC in the SVC.")).containsExactly("normal:positive@0", "device:positive@1");
        assertThat(read("Lungs are clear. Possible small effusion.")).containsExactly("effusion:uncertain@1");
        assertThat(read("No acute cardiopulmonary process. Mild cardiomegaly.")).containsExactly("cardiomegaly:positive@1");
    }

    @Test
    void aHostileReportCostsLinearTime() {
        String report = "no " + "effusion the ".repeat(5_000) + "pneumonia";
        long start = System.nanoTime();
        ReportFindings f = extractor.extract(report);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
        assertThat(f.findings()).extracting(Finding::polarity).contains(Polarity.NEGATED, Polarity.POSITIVE);
    }

    @Test
    void ignoredPhrasesHideTheirForms() {
        assertThat(read("Small pericardial effusion.")).isEmpty();
    }

    @Test
    void presentAppliesTheUncertainPolicyAndNamesTheSentences() {
        ReportFindings f = extractor.extract("Effusion. Possible pneumonia. No pneumothorax. Left effusion.");
        assertThat(f.present(UncertainPolicy.IGNORE)).containsExactly(java.util.Map.entry(0, List.of(0, 3)));
        assertThat(f.present(UncertainPolicy.POSITIVE)).containsOnlyKeys(0, 4);
        assertThat(f.present(UncertainPolicy.POSITIVE).get(4)).containsExactly(1);
    }
}
