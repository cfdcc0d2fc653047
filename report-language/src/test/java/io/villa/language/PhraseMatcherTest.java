package io.villa.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PhraseMatcherTest {

    private static PhraseMatcher<String> matcher(String... formsAndValues) {
        PhraseMatcher.Builder<String> b = PhraseMatcher.builder();
        for (int i = 0; i < formsAndValues.length; i += 2) {
            for (String[] p : Phrases.expand(formsAndValues[i])) {
                b.add(p, formsAndValues[i + 1]);
            }
        }
        return b.build();
    }

    private static List<String> found(PhraseMatcher<String> m, String text) {
        return m.find(Words.tokens(text)).stream().map(PhraseMatcher.Match::value).toList();
    }

    @Test
    void wholeWordsCaseAndPluralsAndHyphens() {
        PhraseMatcher<String> m = matcher("pleural effusion", "PE", "opacity", "OP", "mass", "M", "ET tube", "ETT", "red", "R");
        assertThat(found(m, "Small left Pleural  Effusions")).containsExactly("PE");
        assertThat(found(m, "patchy opacities; masses")).containsExactly("OP", "M");
        assertThat(found(m, "ET-tube in place; et tubes")).containsExactly("ETT", "ETT");
        assertThat(found(m, "reds are red but not redder or bored")).containsExactly("R", "R");
        assertThat(found(m, "pleural, effusion")).isEmpty(); // a phrase never spans a comma
    }

    @Test
    void longestMatchWinsAndMatchesDoNotOverlap() {
        PhraseMatcher<String> m = matcher("effusion", "E", "pericardial effusion", "IGNORED", "no", "N", "no change in", "P");
        assertThat(found(m, "small pericardial effusion and effusion")).containsExactly("IGNORED", "E");
        assertThat(found(m, "no change in no")).containsExactly("P", "N");
    }

    @Test
    void phraseSyntaxExpandsAlternativesAndOptionalWords() {
        assertThat(Phrases.expand("heart size? is mildly/markedly? enlarged")).hasSize(6);
        assertThat(Phrases.expand("r/o")).hasSize(2); // alternatives: "r" or "o"; the text "r/o" is written "r o"
        assertThat(Phrases.expand("Port-A-Cath").get(0)).containsExactly("port", "a", "cath");
        assertThatThrownBy(() -> Phrases.expand("a, b")).hasMessageContaining("cannot be part of a phrase");
        assertThatThrownBy(() -> Phrases.expand("?")).hasMessageContaining("no words");
        assertThat(Phrases.expand("x?")).hasSize(1);
        assertThatThrownBy(() -> Phrases.expand("a/b/c/d/e/f/g/h/i a/b/c/d/e/f/g/h/i a/b/c/d/e/f/g/h/i a/b/c/d/e/f/g/h/i"))
                .hasMessageContaining("more than 256");
    }

    @Test
    void normalFormsMeetTheirPlurals() {
        assertThat(Words.normal("Effusions")).isEqualTo(Words.normal("effusion"));
        assertThat(Words.normal("opacities")).isEqualTo(Words.normal("opacity"));
        assertThat(Words.normal("masses")).isEqualTo(Words.normal("mass"));
        assertThat(Words.normal("atelectasis")).isEqualTo("atelectasis");
        assertThat(Words.normal("one")).isNotEqualTo(Words.normal("on"));
        assertThat(Words.tokens("No effusion, pneumothorax; edema: 2.5 cm")).containsExactly("no", "effusion", ",", "pneumothorax", ";",
                "edema", ":", "2", "5", "cm");
    }
}
