package io.villa.flink.attributes;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.villa.schemas.DocMnistAttributes;

/**
 * The attribute words the mapping model knows, in a fixed order (the order is the head index).
 * DocMNIST's 20 words are built in; a user vocabulary (radiology findings, say) is a text file with one
 * word or phrase per line ({@code #} starts a comment line).
 */
public final class AttributeVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    /** DocMNIST: digit words, colours, shapes, shape sizes (the one list the generator also uses). */
    public static final List<String> DOCMNIST_WORDS = DocMnistAttributes.ALL;

    private final List<String> words;

    public AttributeVocabulary(List<String> words) {
        Set<String> unique = new LinkedHashSet<>();
        for (String w : words) {
            String normal = w.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (!normal.isEmpty()) {
                unique.add(normal);
            }
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("an attribute vocabulary needs at least one word");
        }
        this.words = List.copyOf(unique);
    }

    public static AttributeVocabulary docMnist() {
        return new AttributeVocabulary(DOCMNIST_WORDS);
    }

    /** One word or phrase per line; blank lines and lines starting with '#' are skipped. */
    public static AttributeVocabulary fromFile(Path file) throws IOException {
        List<String> words = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                words.add(t);
            }
        }
        if (words.isEmpty()) {
            throw new IOException("vocabulary file has no words: " + file);
        }
        return new AttributeVocabulary(words);
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

    /** Index of a word (case-insensitive), or -1. */
    public int indexOf(String word) {
        return words.indexOf(word.trim().toLowerCase(Locale.ROOT));
    }
}
