package io.villa.trainer.text;

import java.util.List;

/**
 * What one text adds to a batch's padded token tensor (texts, sentences, tokens): its sentence count and its
 * longest sentence. The batch pads every text to the largest of each, so its size is a property of the batch.
 */
public record TokenShape(int sentences, int longest) {

    public static TokenShape of(int[][] encoded) {
        int longest = 0;
        for (int[] sentence : encoded) {
            longest = Math.max(longest, sentence.length);
        }
        return new TokenShape(encoded.length, longest);
    }

    /** Cells of the padded id tensor {@link TokenBatch} builds for these texts (at least one sentence and token). */
    public static long paddedCells(List<TokenShape> shapes) {
        int sentences = 1;
        int longest = 1;
        for (TokenShape s : shapes) {
            sentences = Math.max(sentences, s.sentences());
            longest = Math.max(longest, s.longest());
        }
        return (long) shapes.size() * sentences * longest;
    }
}
