package io.villa.trainer.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.villa.language.SentenceSplitter;
import io.villa.schemas.DocMnistAttributes;

/**
 * Our own tokenizer, nothing downloaded: lowercase words; a fixed built-in vocabulary of the words a
 * report of our sources uses, and any other word hashed into one of {@code hashBuckets} extra ids (so
 * unseen words still get a stable, learnable id). Id 0 is padding.
 *
 * <p>A text is a list of sentences ({@link SentenceSplitter}); {@link #encode} returns one token-id array per
 * sentence.
 */
public final class WordTokenizer {

    public static final int PADDING_ID = 0;

    /** Report words of DocMNIST and common radiology-report filler; anything else is hashed. */
    private static final List<String> BUILT_IN_WORDS = Stream.of(
            List.of("the", "a", "an", "is", "are", "of", "in", "and", "with", "this", "that", "there", "it", "its", "has", "no",
                    "color", "colour", "number", "digit", "shape", "size", "region", "image"),
            DocMnistAttributes.COLORS, DocMnistAttributes.DIGITS, DocMnistAttributes.SHAPES, DocMnistAttributes.SIZES,
            List.of("left", "right", "upper", "lower", "lung", "heart", "normal", "opacity", "effusion"))
            .flatMap(List::stream).toList();

    private static final Pattern WORD_SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Map<String, Integer> vocabulary = new HashMap<>();
    private final int hashBuckets;

    public WordTokenizer(int hashBuckets) {
        if (hashBuckets < 1) {
            throw new IllegalArgumentException("hashBuckets must be >= 1");
        }
        this.hashBuckets = hashBuckets;
        for (String word : BUILT_IN_WORDS) {
            vocabulary.putIfAbsent(word, vocabulary.size() + 1);
        }
    }

    /** Number of distinct ids including padding: the word-embedding table's size. */
    public int idCount() {
        return 1 + vocabulary.size() + hashBuckets;
    }

    public int idOf(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        Integer known = vocabulary.get(w);
        if (known != null) {
            return known;
        }
        // FNV-1a over UTF-8: stable across JVMs (String.hashCode would be too, but this spreads better)
        int h = 0x811c9dc5;
        for (byte b : w.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return 1 + vocabulary.size() + Math.floorMod(h, hashBuckets);
    }

    /** The sentences of a text (the project's one splitter, {@link SentenceSplitter}: "2.5 cm" and "Dr." stay whole). */
    public static List<String> sentences(String text) {
        return SentenceSplitter.standard().split(text);
    }

    /** How many tokens {@link #encode} makes of a text (its words), without building them. */
    public static int countWords(String text) {
        int n = 0;
        for (var m = WORD.matcher(text == null ? "" : text); m.find(); ) {
            n++;
        }
        return n;
    }

    /** Token ids per sentence; sentences without any word are dropped. */
    public int[][] encode(String text) {
        List<int[]> out = new ArrayList<>();
        for (String sentence : sentences(text)) {
            List<Integer> ids = new ArrayList<>();
            for (String word : WORD_SPLIT.split(sentence)) {
                if (!word.isEmpty()) {
                    ids.add(idOf(word));
                }
            }
            if (!ids.isEmpty()) {
                out.add(ids.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out.toArray(new int[0][]);
    }
}
