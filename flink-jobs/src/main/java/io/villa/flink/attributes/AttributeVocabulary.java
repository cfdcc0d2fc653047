package io.villa.flink.attributes;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import io.villa.language.Vocabulary;
import io.villa.schemas.DocMnistAttributes;

/**
 * The attributes the mapping model knows, in a fixed order (the order is the head index), each with an optional type
 * (quality is also reported per type: "digit", "colour", or "finding", "device") and its surface forms: a
 * {@link Vocabulary} of the report-language module, as the job uses it. Shipped vocabularies are chosen by name
 * ({@code docmnist}, the default, and {@code chest-xray}); a site's is a file (format: {@link Vocabulary}; the old
 * format, one word or phrase per line with {@code [type]} lines, is a special case of it).
 */
public final class AttributeVocabulary implements Serializable {

    private static final long serialVersionUID = 2L;

    /** DocMNIST: digit words, colours, shapes, shape sizes (the one list the generator also uses). */
    public static final List<String> DOCMNIST_WORDS = DocMnistAttributes.ALL;

    private final Vocabulary language;

    public AttributeVocabulary(Vocabulary language) {
        this.language = language;
    }

    /** Words without types, each its own only surface form. */
    public AttributeVocabulary(List<String> words) {
        this(words, Collections.nCopies(words.size(), ""));
    }

    /**
     * @param types per word, its type, or "" (or null) for none; a word given twice keeps its first type
     */
    public AttributeVocabulary(List<String> words, List<String> types) {
        this(Vocabulary.ofWords(words, types));
    }

    /** The shipped DocMNIST vocabulary: the 20 words of {@link DocMnistAttributes#ALL}, typed, in that order. */
    public static AttributeVocabulary docMnist() {
        return new AttributeVocabulary(Vocabulary.shipped(Vocabulary.DOCMNIST));
    }

    /** A shipped vocabulary by name ({@link Vocabulary#SHIPPED}) or a vocabulary file; null is DocMNIST's. */
    public static AttributeVocabulary named(String nameOrPath) throws IOException {
        return new AttributeVocabulary(Vocabulary.named(nameOrPath));
    }

    public static AttributeVocabulary fromFile(Path file) throws IOException {
        return new AttributeVocabulary(Vocabulary.fromFile(file));
    }

    /** The built-in DocMNIST vocabulary when {@code file} is null, else the file's. */
    public static AttributeVocabulary fromFileOrDefault(Path file) throws IOException {
        return file == null ? docMnist() : fromFile(file);
    }

    /** The vocabulary whose ids are exactly {@code words} in this order: a shipped one when one matches, else the words. */
    public static AttributeVocabulary forWords(List<String> words) {
        for (String name : Vocabulary.SHIPPED) {
            Vocabulary shipped = Vocabulary.shipped(name);
            if (shipped.ids().equals(words)) {
                return new AttributeVocabulary(shipped);
            }
        }
        return new AttributeVocabulary(words);
    }

    /** The report-language vocabulary: surface forms, normal and neutral attributes. */
    public Vocabulary language() {
        return language;
    }

    /** Attribute ids, in head order. */
    public List<String> words() {
        return language.ids();
    }

    public int size() {
        return language.size();
    }

    public String word(int index) {
        return language.id(index);
    }

    /** The type of word {@code index}, or "" when the vocabulary gives it none. */
    public String type(int index) {
        return language.type(index);
    }

    /** The types the vocabulary declares, in order of first use; empty when it declares none. */
    public List<String> typeNames() {
        return language.typeNames();
    }

    /** Per word, the index of its type in {@link #typeNames()}, or -1 when it has none. */
    public int[] typeIndexes() {
        return language.typeIndexes();
    }

    /** Index of a word (case-insensitive), or -1. */
    public int indexOf(String word) {
        return language.indexOf(word);
    }
}
