package io.villa.producers.docmnist;

import java.util.ArrayList;
import java.util.List;

import io.villa.records.Box;

/**
 * One used cell of a DocMNIST image: which digit it shows, in which colour, and the outline drawn in it (if any).
 * The geometry is the reference generator's ({@code apply_shape}): a circle of radius 1/3/5 around (row, col), or the
 * outline around the square from (row, col) to (row + 1/4/7, col + 1/4/7), with row and col in [5, 20).
 *
 * @param cell        0..8, row-major on the 3x3 grid (0 top-left, 1 top-middle, ...)
 * @param digitIndex  index of the digit in its split's pool
 * @param digit       the digit's label, 0..9
 * @param color       index into {@link DocMnistVocabulary#COLORS}
 * @param shape       index into {@link DocMnistVocabulary#SHAPES}, or -1 for none
 * @param size        index into {@link DocMnistVocabulary#SIZES}, or -1 for none
 * @param shapeRow    the circle's centre row, or the rectangle's start row, in the cell
 * @param shapeCol    the circle's centre column, or the rectangle's start column, in the cell
 */
public record DocMnistRegion(int cell, int digitIndex, int digit, int color, int shape, int size, int shapeRow, int shapeCol) {

    public static final int CELL = 28;
    public static final int GRID = 3;
    public static final int CIRCLE = DocMnistVocabulary.SHAPES.indexOf("circle");
    public static final int RECTANGLE = DocMnistVocabulary.SHAPES.indexOf("rectangle");
    /** Circle radius per size (small, medium, large). */
    static final int[] CIRCLE_RADIUS = {1, 3, 5};
    /** Rectangle end minus start per size: the outline spans this + 3 pixels. */
    static final int[] RECTANGLE_SPAN = {1, 4, 7};
    /** Shape positions are drawn uniformly from [POSITION_FROM, POSITION_TO) for row and column. */
    static final int POSITION_FROM = 5;
    static final int POSITION_TO = 20;

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

    /** The white outline's pixels in cell coordinates; empty without a shape. */
    public List<Perimeters.Pixel> shapePixels() {
        if (!hasShape()) {
            return List.of();
        }
        if (shape == CIRCLE) {
            return Perimeters.circle(shapeRow, shapeCol, CIRCLE_RADIUS[size]);
        }
        int span = RECTANGLE_SPAN[size];
        return Perimeters.rectangle(shapeRow, shapeCol, shapeRow + span, shapeCol + span, CELL, CELL);
    }

    /** The same region placed in another cell (regions are drawn first, cells chosen afterwards). */
    public DocMnistRegion inCell(int newCell) {
        return new DocMnistRegion(newCell, digitIndex, digit, color, shape, size, shapeRow, shapeCol);
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
