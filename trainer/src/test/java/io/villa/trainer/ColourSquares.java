package io.villa.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.villa.trainer.data.Example;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;

/** Tiny synthetic data for unit tests: each example its own image, a coloured square on black, its box, text naming its colour. */
public final class ColourSquares {

    public static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final int[][] RGB = {{220, 30, 30}, {30, 200, 30}, {40, 40, 230}, {230, 220, 30}};

    private ColourSquares() {
    }

    public static List<Example> make(int n, int size, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>();
        int square = size / 3;
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(COLOURS.length);
            byte[] px = new byte[size * size * 3];
            int x0 = random.nextInt(size - square);
            int y0 = random.nextInt(size - square);
            for (int y = y0; y < y0 + square; y++) {
                for (int x = x0; x < x0 + square; x++) {
                    int o = (y * size + x) * 3;
                    px[o] = (byte) RGB[c][0];
                    px[o + 1] = (byte) RGB[c][1];
                    px[o + 2] = (byte) RGB[c][2];
                }
            }
            out.add(Example.builder().setKey("sq" + i + "#0").setImage(WholeImage.ofSide(px, size))
                    .setBox(new RegionBox(x0, y0, square, square)).setText("the color is " + COLOURS[c])
                    .optAttributes(List.of(COLOURS[c])).optGroundTruth(List.of(COLOURS[c])).build());
        }
        return out;
    }
}
