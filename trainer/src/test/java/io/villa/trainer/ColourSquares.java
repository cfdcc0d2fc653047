package io.villa.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.villa.records.Split;
import io.villa.trainer.data.Example;

/** Tiny synthetic data for unit tests: a coloured square on black, text naming its colour. */
public final class ColourSquares {

    public static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final int[][] RGB = {{220, 30, 30}, {30, 200, 30}, {40, 40, 230}, {230, 220, 30}};

    private ColourSquares() {
    }

    public static List<Example> make(int n, int size, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(COLOURS.length);
            byte[] px = new byte[size * size * 3];
            int x0 = random.nextInt(size / 2);
            int y0 = random.nextInt(size / 2);
            for (int y = y0; y < y0 + size / 2; y++) {
                for (int x = x0; x < x0 + size / 2; x++) {
                    int o = (y * size + x) * 3;
                    px[o] = (byte) RGB[c][0];
                    px[o + 1] = (byte) RGB[c][1];
                    px[o + 2] = (byte) RGB[c][2];
                }
            }
            String text = "the color is " + COLOURS[c];
            out.add(new Example("sq" + i + "#0", px, text, false, List.of(COLOURS[c]), List.of(COLOURS[c]), Split.TRAIN));
        }
        return out;
    }
}
