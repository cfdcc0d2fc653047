package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.villa.records.Split;
import io.villa.trainer.data.Example;

/**
 * Region-like examples made up on the spot (a coloured block, a text naming colour and position), so
 * that a throughput check needs no data set and nothing downloaded.
 */
public final class SyntheticCrops {

    private static final String[] COLOURS = {"red", "yellow", "green", "blue", "purple"};
    private static final int[][] RGB = {{230, 40, 40}, {230, 220, 40}, {40, 200, 40}, {40, 60, 230}, {160, 40, 200}};
    private static final String[] PLACES = {"left", "right", "upper", "lower"};

    private SyntheticCrops() {
    }

    public static List<Example> make(int n, int size, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(COLOURS.length);
            int p = random.nextInt(PLACES.length);
            byte[] px = new byte[size * size * 3];
            int half = size / 2;
            int x0 = (p == 1) ? half : 0;
            int y0 = (p == 3) ? half : 0;
            for (int y = y0; y < y0 + half; y++) {
                for (int x = x0; x < x0 + half; x++) {
                    int o = (y * size + x) * 3;
                    px[o] = (byte) RGB[c][0];
                    px[o + 1] = (byte) RGB[c][1];
                    px[o + 2] = (byte) RGB[c][2];
                }
            }
            String text = "the color is " + COLOURS[c] + " . the region is " + PLACES[p];
            out.add(new Example("synthetic-" + i + "#0", px, text, false, List.of(COLOURS[c], PLACES[p]),
                    List.of(COLOURS[c], PLACES[p]), Split.TRAIN));
        }
        return out;
    }
}
