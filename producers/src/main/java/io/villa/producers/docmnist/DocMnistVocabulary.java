package io.villa.producers.docmnist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.villa.language.SentenceSplitter;
import io.villa.language.Vocabulary;
import io.villa.schemas.DocMnistAttributes;

/**
 * The 20 DocMNIST attribute words and the reference generator's sentence templates ({@code get_caption}), word for
 * word, grammar included ("the image shows a eight"). Shared with the mapping model (attribute extraction: a sentence
 * mentions an attribute when it contains its word as a whole word) and the evaluation (text queries). No template
 * contains any attribute word other than the one it is filled with.
 */
public final class DocMnistVocabulary {

    /** The four kinds of attributes; each region has a digit and a colour, and a shape with its size when one is drawn. */
    public enum AttributeType {
        DIGIT(List.of("the image shows a %w", "the digit appears to be %w", "there is an image showing a %w", "the number is a %w")),
        COLOR(List.of("the color is %w", "the digit appears to be %w", "there is a %w image", "the image is %w")),
        SHAPE(List.of("the shape is a %w", "the shape appears to be a %w", "there is a %w", "the image has a %w")),
        SIZE(List.of("the shape size is %w", "the size of the shape is %w", "the shape is %w"));

        private final List<String> templates;

        AttributeType(List<String> templates) {
            this.templates = templates;
        }

        /** Templates: {@code %w} is the attribute word. */
        public List<String> templates() {
            return templates;
        }

        public List<String> words() {
            return switch (this) {
                case DIGIT -> DIGITS;
                case COLOR -> COLORS;
                case SHAPE -> SHAPES;
                case SIZE -> SIZES;
            };
        }
    }

    /** Digit words, indexed by the digit's value. */
    public static final List<String> DIGITS = DocMnistAttributes.DIGITS;
    /** Colour words, in the order of {@link DocMnistRenderer#colorRgb}. */
    public static final List<String> COLORS = DocMnistAttributes.COLORS;
    public static final List<String> SHAPES = DocMnistAttributes.SHAPES;
    /** Shape sizes, smallest first. */
    public static final List<String> SIZES = DocMnistAttributes.SIZES;

    /** All 20 attribute words: digits, colours, shapes, sizes, in that order. */
    public static final List<String> ATTRIBUTES = DocMnistAttributes.ALL;

    /** Separator between report sentences. */
    public static final String SENTENCE_SEPARATOR = " . ";

    private DocMnistVocabulary() {
    }

    /** The type of an attribute word, e.g. COLOR for "red". */
    public static AttributeType typeOf(String word) {
        for (AttributeType type : AttributeType.values()) {
            if (type.words().contains(word)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a DocMNIST attribute: " + word);
    }

    /** The sentence of template {@code templateIndex} of the word's type, filled with {@code word}. */
    public static String sentence(String word, int templateIndex) {
        return typeOf(word).templates().get(templateIndex).replace("%w", word);
    }

    /** Every sentence that can mention {@code word}: one per template (e.g. to build a text query for retrieval). */
    public static List<String> sentences(String word) {
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < typeOf(word).templates().size(); i++) {
            sentences.add(sentence(word, i));
        }
        return sentences;
    }

    /** Splits a report into its sentences (the project's one splitter, {@link SentenceSplitter}). */
    public static List<String> splitReport(String report) {
        return SentenceSplitter.standard().split(report);
    }

    /** The attribute words that occur in {@code sentence} as whole words, in vocabulary order (the shipped docmnist vocabulary). */
    public static List<String> attributesIn(String sentence) {
        Vocabulary docMnist = Vocabulary.shipped(Vocabulary.DOCMNIST);
        return Arrays.stream(docMnist.mentioned(sentence)).mapToObj(docMnist::id).toList();
    }
}
