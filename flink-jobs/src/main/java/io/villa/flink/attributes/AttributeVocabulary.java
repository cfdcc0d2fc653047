package io.villa.flink.attributes;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.villa.schemas.DocMnistAttributes;

/**
 * The attribute words the mapping model knows, in a fixed order (the order is the head index), each with an optional
 * type (quality is also reported per type: "digit", "colour", or "finding", "device"). DocMNIST's 20 words are built
 * in, typed; a user vocabulary (radiology findings, say) is a text file with one word or phrase per line ({@code #}
 * starts a comment line), where a line {@code [type]} gives that type to the words below it.
 */
public final class AttributeVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    /** DocMNIST: digit words, colours, shapes, shape sizes (the one list the generator also uses). */
    public static final List<String> DOCMNIST_WORDS = DocMnistAttributes.ALL;

    /** The type of each of {@link #DOCMNIST_WORDS}, in their order: digits, colours, shapes, sizes. */
    private static final List<String> DOCMNIST_TYPES = Stream.of(
                    Collections.nCopies(DocMnistAttributes.DIGITS.size(), "digit"), Collections.nCopies(DocMnistAttributes.COLORS.size(), "colour"),
                    Collections.nCopies(DocMnistAttributes.SHAPES.size(), "shape"), Collections.nCopies(DocMnistAttributes.SIZES.size(), "size"))
            .flatMap(List::stream).toList();

    private final List<String> words;
    /** Per word, its type or "" for none. */
    private final List<String> types;

    /** Words without types. */
    public AttributeVocabulary(List<String> words) {
        this(words, Collections.nCopies(words.size(), ""));
    }

    /**
     * @param types per word, its type, or "" (or null) for none; a word given twice keeps its first type
     */
    public AttributeVocabulary(List<String> words, List<String> types) {
        if (types.size() != words.size()) {
            throw new IllegalArgumentException(words.size() + " words but " + types.size() + " types");
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String normal = normal(words.get(i));
            if (!normal.isEmpty()) {
                unique.putIfAbsent(normal, types.get(i) == null ? "" : normal(types.get(i)));
            }
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("an attribute vocabulary needs at least one word");
        }
        this.words = List.copyOf(unique.keySet());
        this.types = List.copyOf(unique.values());
    }

    private static String normal(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    public static AttributeVocabulary docMnist() {
        return new AttributeVocabulary(DOCMNIST_WORDS, DOCMNIST_TYPES);
    }

    /**
     * One word or phrase per line; blank lines and lines starting with '#' are skipped; a line {@code [type]} gives
     * that type to the words below it (up to the next such line; {@code []} for none). Words before any are untyped.
     */
    public static AttributeVocabulary fromFile(Path file) throws IOException {
        List<String> words = new ArrayList<>();
        List<String> types = new ArrayList<>();
        String type = "";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                type = t.substring(1, t.length() - 1);
            } else if (!t.isEmpty() && !t.startsWith("#")) {
                words.add(t);
                types.add(type);
            }
        }
        if (words.isEmpty()) {
            throw new IOException("vocabulary file has no words: " + file);
        }
        return new AttributeVocabulary(words, types);
    }

    /** The built-in DocMNIST vocabulary when {@code file} is null, else the file's. */
    public static AttributeVocabulary fromFileOrDefault(Path file) throws IOException {
        return file == null ? docMnist() : fromFile(file);
    }

    public List<String> words() {
        return words;
    }

    public int size() {
        return words.size();
    }

    public String word(int index) {
        return words.get(index);
    }

    /** The type of word {@code index}, or "" when the vocabulary gives it none. */
    public String type(int index) {
        return types.get(index);
    }

    /** The types the vocabulary declares, in order of first use; empty when it declares none. */
    public List<String> typeNames() {
        return types.stream().filter(t -> !t.isEmpty()).distinct().toList();
    }

    /** Per word, the index of its type in {@link #typeNames()}, or -1 when it has none. */
    public int[] typeIndexes() {
        List<String> names = typeNames();
        return types.stream().mapToInt(names::indexOf).toArray();
    }

    /** Index of a word (case-insensitive), or -1. */
    public int indexOf(String word) {
        return words.indexOf(word.trim().toLowerCase(Locale.ROOT));
    }
}
