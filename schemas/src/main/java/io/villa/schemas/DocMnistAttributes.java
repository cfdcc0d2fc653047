package io.villa.schemas;

import java.util.List;
import java.util.stream.Stream;

/**
 * The 20 DocMNIST attribute words, as the ViLLA reference generator spells them. They are part of the data contract
 * (they are the words in a record's ground truth), so they live here, where the generator (producers), the mapping
 * model (flink-jobs) and the trainer's tokenizer all read the one list.
 */
public final class DocMnistAttributes {

    /** Digit words, indexed by the digit's value. */
    public static final List<String> DIGITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    /** Colour words, in the order of their hue on matplotlib's hsv colormap (0, .2, .4, .6, .8). */
    public static final List<String> COLORS = List.of("red", "yellow", "green", "blue", "purple");
    public static final List<String> SHAPES = List.of("circle", "rectangle");
    /** Shape sizes, smallest first. */
    public static final List<String> SIZES = List.of("small", "medium", "large");

    /** All 20 words: digits, colours, shapes, sizes, in that order (the mapping model's head order). */
    public static final List<String> ALL = Stream.of(DIGITS, COLORS, SHAPES, SIZES).flatMap(List::stream).toList();

    private DocMnistAttributes() {
    }
}
