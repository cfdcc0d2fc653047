package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The templates through the project's one splitter and matcher: each sentence names exactly its own word. */
class DocMnistVocabularyTest {

    @Test
    void everyTemplateSentenceNamesExactlyItsWordAndReportsSplitBack() {
        List<String> all = new ArrayList<>();
        for (String word : DocMnistVocabulary.ATTRIBUTES) {
            for (String sentence : DocMnistVocabulary.sentences(word)) {
                assertThat(DocMnistVocabulary.attributesIn(sentence)).as(sentence).containsExactly(word);
                all.add(sentence);
            }
        }
        assertThat(DocMnistVocabulary.splitReport(String.join(DocMnistVocabulary.SENTENCE_SEPARATOR, all))).isEqualTo(all);
        assertThat(DocMnistVocabulary.attributesIn("a red seven . blue")).containsExactly("seven", "red", "blue");
    }
}
