package io.villa.trainer.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    @Test
    void splitsSentencesAndWordsAndHashesUnknownWords() {
        WordTokenizer t = new WordTokenizer(64);
        int[][] ids = t.encode("The color is RED . the shape is a zorblax .");
        assertThat(ids).hasNumberOfRows(2);
        assertThat(ids[0]).hasSize(4);
        assertThat(ids[0][3]).isEqualTo(t.idOf("red"));
        int unknown = ids[1][4];
        assertThat(unknown).isEqualTo(new WordTokenizer(64).idOf("Zorblax")).isGreaterThan(t.idCount() - 65).isLessThan(t.idCount());
        assertThat(t.idOf("red")).isNotEqualTo(t.idOf("blue"));
        assertThat(t.encode(" . . ")).isEmpty();
    }

    @Test
    void sentencesComeFromTheProjectsOneSplitter() {
        assertThat(WordTokenizer.sentences("Nodule of 2.5 cm, approx. Dr. Lee was called. No effusion"))
                .containsExactly("Nodule of 2.5 cm, approx. Dr. Lee was called", "No effusion");
        assertThat(new WordTokenizer(8).encode("Nodule of 2.5 cm. No effusion")).hasNumberOfRows(2);
    }
}
