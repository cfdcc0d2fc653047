package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.villa.producers.docmnist.Perimeters.Pixel;

/** The outlines against scikit-image's own outputs (its docstrings and tests), written out as pictures. */
class PerimetersTest {

    @Test
    void circleOfRadiusOneIsTheFourNeighbours() {
        assertThat(Perimeters.circle(10, 20, 1)).containsExactlyInAnyOrder(
                new Pixel(9, 20), new Pixel(11, 20), new Pixel(10, 19), new Pixel(10, 21));
    }

    @Test
    void circleOfRadiusThreeIsSkimagesBresenham() {
        assertThat(picture(Perimeters.circle(3, 3, 3), 7, 7)).containsExactly(
                "..###..",
                ".#...#.",
                "#.....#",
                "#.....#",
                "#.....#",
                ".#...#.",
                "..###..");
    }

    @Test
    void circleOfRadiusFiveIsSkimagesBresenham() {
        assertThat(picture(Perimeters.circle(5, 5, 5), 11, 11)).containsExactly(
                "...#####...",
                "..#.....#..",
                ".#.......#.",
                "#.........#",
                "#.........#",
                "#.........#",
                "#.........#",
                "#.........#",
                ".#.......#.",
                "..#.....#..",
                "...#####...");
    }

    @Test
    void circleOfRadiusSevenMatchesSkimagesTest() {
        // skimage's test_circle_perimeter_bresenham: circle_perimeter(7, 7, 7) in a 17x15 image
        assertThat(picture(Perimeters.circle(7, 7, 7), 15, 15)).containsExactly(
                ".....#####.....",
                "...##.....##...",
                "..#.........#..",
                ".#...........#.",
                ".#...........#.",
                "#.............#",
                "#.............#",
                "#.............#",
                "#.............#",
                "#.............#",
                ".#...........#.",
                ".#...........#.",
                "..#.........#..",
                "...##.....##...",
                ".....#####.....");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5})
    void circleSpansTwiceItsRadiusPlusOne(int radius) {
        List<Pixel> pixels = Perimeters.circle(12, 12, radius);
        assertThat(span(pixels, true)).isEqualTo(2 * radius + 1);
        assertThat(span(pixels, false)).isEqualTo(2 * radius + 1);
        assertThat(pixels).doesNotHaveDuplicates().doesNotContain(new Pixel(12, 12));
    }

    @Test
    void rectangleIsDrawnAroundTheInclusiveRectangle() {
        // skimage's docstring: rectangle_perimeter((2, 3), end=(3, 4), shape=(5, 6))
        assertThat(picture(Perimeters.rectangle(2, 3, 3, 4, 5, 6), 5, 6)).containsExactly(
                "......",
                "..####",
                "..#..#",
                "..#..#",
                "..####");
    }

    @Test
    void clippedRectangleStaysClosedAtTheBorder() {
        // skimage's docstring: rectangle_perimeter((2, 3), (10, 10), shape=(5, 5), clip=True)
        assertThat(picture(Perimeters.rectangle(2, 3, 10, 10, 5, 5), 5, 5)).containsExactly(
                ".....",
                "..###",
                "..#.#",
                "..#.#",
                "..###");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7})
    void rectangleSpansItsSidePlusThreeAndIsAClosedOutline(int rad) {
        List<Pixel> pixels = Perimeters.rectangle(5, 6, 5 + rad, 6 + rad, 28, 28);
        assertThat(span(pixels, true)).isEqualTo(rad + 3);
        assertThat(span(pixels, false)).isEqualTo(rad + 3);
        assertThat(pixels).doesNotHaveDuplicates().hasSize(4 * (rad + 2));
        // a closed outline: every pixel has exactly two 4-neighbours on it, and they all form one loop
        Set<Pixel> set = new HashSet<>(pixels);
        for (Pixel p : pixels) {
            assertThat(neighbours(p).stream().filter(set::contains).count()).as("%s", p).isEqualTo(2);
        }
        assertThat(connected(set)).isTrue();
    }

    static List<String> picture(List<Pixel> pixels, int rows, int cols) {
        char[][] grid = new char[rows][cols];
        for (char[] row : grid) {
            Arrays.fill(row, '.');
        }
        for (Pixel p : pixels) {
            grid[p.row()][p.col()] = '#';
        }
        return Arrays.stream(grid).map(String::new).toList();
    }

    static int span(List<Pixel> pixels, boolean rows) {
        int min = pixels.stream().mapToInt(p -> rows ? p.row() : p.col()).min().orElseThrow();
        int max = pixels.stream().mapToInt(p -> rows ? p.row() : p.col()).max().orElseThrow();
        return max - min + 1;
    }

    private static List<Pixel> neighbours(Pixel p) {
        return List.of(new Pixel(p.row() - 1, p.col()), new Pixel(p.row() + 1, p.col()),
                new Pixel(p.row(), p.col() - 1), new Pixel(p.row(), p.col() + 1));
    }

    private static boolean connected(Set<Pixel> set) {
        Set<Pixel> seen = new HashSet<>();
        ArrayDeque<Pixel> todo = new ArrayDeque<>(List.of(set.iterator().next()));
        while (!todo.isEmpty()) {
            Pixel p = todo.pop();
            if (seen.add(p)) {
                neighbours(p).stream().filter(set::contains).forEach(todo::push);
            }
        }
        return seen.equals(set);
    }
}
