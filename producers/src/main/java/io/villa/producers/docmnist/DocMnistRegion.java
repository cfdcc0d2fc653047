package io.villa.producers.docmnist;

import java.util.ArrayList;
import java.util.List;

import io.villa.records.Box;

/**
 * One used cell of a DocMNIST image: which digit it shows, in which colour, and the outline drawn in it (if any).
 *
 * @param cell        0..8, row-major on the 3x3 grid
 * @param digitIndex  index of the digit in its split's pool
 * @param digit       the digit's label, 0..9
 * @param color       index into {@link DocMnistVocabulary#COLORS}
 * @param shape       index into {@link DocMnistVocabulary#SHAPES}, or -1 for none
 * @param size        index into {@link DocMnistVocabulary#SIZES}, or -1 for none
 * @param shapeX      left of the outline's bounding square, relative to the cell
 * @param shapeY      top of the outline's bounding square, relative to the cell
 */
public record DocMnistRegion(int cell, int digitIndex, int digit, int color, int shape, int size, int shapeX, int shapeY) {

    public static final int CELL = 28;
    public static final int GRID = 3;

    public boolean hasShape() {
        return shape >= 0;
    }

    /** The region's attribute words: digit, colour, then shape and size when an outline is drawn. */
    public List<String> attributes() {
        List<String> words = new ArrayList<>(4);
        words.add(DocMnistVocabulary.DIGITS.get(digit));
        words.add(DocMnistVocabulary.COLORS.get(color));
        if (hasShape()) {
            words.add(DocMnistVocabulary.SHAPES.get(shape));
            words.add(DocMnistVocabulary.SIZES.get(size));
        }
        return words;
    }

    public int complexity() {
        return hasShape() ? 4 : 2;
    }

    public int left() {
        return (cell % GRID) * CELL;
    }

    public int top() {
        return (cell / GRID) * CELL;
    }

    public Box box() {
        return new Box(left(), top(), CELL, CELL);
    }
}
