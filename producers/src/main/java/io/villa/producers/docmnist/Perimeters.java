package io.villa.producers.docmnist;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pixel outlines as scikit-image draws them for the reference generator: {@code draw.circle_perimeter} (Bresenham)
 * and {@code draw.rectangle_perimeter}. Coordinates are (row, column); each outline lists every pixel once.
 */
public final class Perimeters {

    /** One pixel of an outline. */
    public record Pixel(int row, int col) {
    }

    private Perimeters() {
    }

    /**
     * Bresenham's circle of {@code radius} around (row, col), as skimage's default method: one octant is walked
     * from the top and mirrored eight ways. Not clipped (the reference passes no shape; its circles fit the cell).
     */
    public static List<Pixel> circle(int row, int col, int radius) {
        Set<Pixel> pixels = new LinkedHashSet<>();
        int r = 0;
        int c = radius;
        int d = 3 - 2 * radius;
        while (r <= c) {
            for (int sr : new int[] {1, -1}) {
                for (int sc : new int[] {1, -1}) {
                    pixels.add(new Pixel(row + sr * r, col + sc * c));
                    pixels.add(new Pixel(row + sr * c, col + sc * r));
                }
            }
            if (d < 0) {
                d += 4 * r + 6;
            } else {
                d += 4 * (r - c) + 10;
                c--;
            }
            r++;
        }
        return List.copyOf(pixels);
    }

    /**
     * The outline just outside the inclusive rectangle [start, end]: rows {@code startRow-1 .. endRow+1}, columns
     * {@code startCol-1 .. endCol+1} (skimage's {@code rectangle_perimeter(start, end)}). With {@code clip}, the
     * corners are first moved inside a {@code rows x cols} image, so the outline stays closed at the border.
     */
    public static List<Pixel> rectangle(int startRow, int startCol, int endRow, int endCol, int rows, int cols) {
        int top = clamp(Math.min(startRow, endRow) - 1, rows);
        int bottom = clamp(Math.max(startRow, endRow) + 1, rows);
        int left = clamp(Math.min(startCol, endCol) - 1, cols);
        int right = clamp(Math.max(startCol, endCol) + 1, cols);
        Set<Pixel> pixels = new LinkedHashSet<>();
        for (int c = left; c <= right; c++) {
            pixels.add(new Pixel(top, c));
            pixels.add(new Pixel(bottom, c));
        }
        for (int r = top; r <= bottom; r++) {
            pixels.add(new Pixel(r, left));
            pixels.add(new Pixel(r, right));
        }
        return List.copyOf(pixels);
    }

    private static int clamp(int value, int size) {
        return Math.max(0, Math.min(size - 1, value));
    }
}
