package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.villa.schemas.DocMnistAttributes;
import io.villa.trainer.data.Example;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;

/**
 * Image-report pairs made up on the spot, so that a throughput check needs no data set and nothing downloaded: a
 * black image in a 3x3 grid of cells, two to four of them holding a coloured block; each such cell is a region whose
 * text names its colour, and the whole image's text names them all.
 */
public final class SyntheticPairs {

    /** DocMNIST's colour words, so that the tokenizer knows every text; {@link #RGB} is in their order. */
    private static final List<String> COLOURS = DocMnistAttributes.COLORS;

    private static final int[][] RGB = {{230, 40, 40}, {230, 220, 40}, {40, 200, 40}, {40, 60, 230}, {160, 40, 200}};

    private SyntheticPairs() {}

    /** Pairs until at least {@code n} examples (regions and whole images), each image {@code side x side}. */
    public static List<Example> make(int n, int side, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>(n + 5);
        int cell = side / 3;
        for (int p = 0; out.size() < n; p++) {
            byte[] rgb = new byte[side * side * 3];
            WholeImage image = WholeImage.ofSide(rgb, side);
            List<String> texts = new ArrayList<>();
            List<Integer> cells = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
            java.util.Collections.shuffle(cells, random);
            for (int c : cells.subList(0, 2 + random.nextInt(3))) {
                int colour = random.nextInt(COLOURS.size());
                int block = cell / 2;
                int x0 = (c % 3) * cell + random.nextInt(cell - block + 1);
                int y0 = (c / 3) * cell + random.nextInt(cell - block + 1);
                fill(rgb, side, x0, y0, block, RGB[colour]);
                String text = "the color is " + COLOURS.get(colour);
                texts.add(text);
                out.add(Example.builder()
                        .setKey("synthetic-" + p + "#" + c)
                        .setImage(image)
                        .setBox(new RegionBox((c % 3) * cell, (c / 3) * cell, cell, cell))
                        .setText(text)
                        .optAttributes(List.of(COLOURS.get(colour)))
                        .optGroundTruth(List.of(COLOURS.get(colour)))
                        .build());
            }
            out.add(Example.builder()
                    .setKey("synthetic-" + p + "#-1")
                    .setImage(image)
                    .setBox(RegionBox.whole(side))
                    .setText(String.join(" . ", texts))
                    .optWholeImage(true)
                    .build());
        }
        return out;
    }

    private static void fill(byte[] rgb, int side, int x0, int y0, int size, int[] colour) {
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                int o = (y * side + x) * 3;
                rgb[o] = (byte) colour[0];
                rgb[o + 1] = (byte) colour[1];
                rgb[o + 2] = (byte) colour[2];
            }
        }
    }
}
