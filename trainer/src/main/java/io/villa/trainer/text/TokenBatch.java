package io.villa.trainer.text;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Packs texts into one padded id tensor of shape (texts, sentences, tokens); 0 pads. */
public final class TokenBatch {

    private TokenBatch() {
    }

    public static NDArray encode(NDManager manager, WordTokenizer tokenizer, List<String> texts) {
        int[][][] encoded = new int[texts.size()][][];
        int maxSentences = 1;
        int maxTokens = 1;
        for (int i = 0; i < texts.size(); i++) {
            encoded[i] = tokenizer.encode(texts.get(i));
            maxSentences = Math.max(maxSentences, encoded[i].length);
            for (int[] sentence : encoded[i]) {
                maxTokens = Math.max(maxTokens, sentence.length);
            }
        }
        long[] flat = new long[texts.size() * maxSentences * maxTokens];
        for (int i = 0; i < encoded.length; i++) {
            for (int s = 0; s < encoded[i].length; s++) {
                int base = (i * maxSentences + s) * maxTokens;
                for (int t = 0; t < encoded[i][s].length; t++) {
                    flat[base + t] = encoded[i][s][t];
                }
            }
        }
        return manager.create(flat, new Shape(texts.size(), maxSentences, maxTokens));
    }
}
