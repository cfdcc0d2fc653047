package io.villa.flink.mapping;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A TRAIN image as the replay buffer keeps it (in memory and in every checkpoint): its regions' 8-bit pixels,
 * deflated (DocMNIST's mostly black crops shrink several times over), and its attribute indexes.
 *
 * @param regions     region count
 * @param regionBytes bytes of each region's pixels (3 x size x size)
 * @param deflated    all regions' pixels, one after the other, deflated
 * @param attributes  attribute indexes found in the report
 */
record ReplayEntry(int regions, int regionBytes, byte[] deflated, int[] attributes) {

    static ReplayEntry of(MappingExample example) {
        int regionBytes = example.regionCount() == 0 ? 0 : example.regionPixels().get(0).length;
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            for (byte[] region : example.regionPixels()) {
                if (region.length != regionBytes) {
                    throw new IllegalArgumentException("regions of one image differ in size: " + region.length + " and " + regionBytes);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(regionBytes);
            byte[] chunk = new byte[16 * 1024];
            for (byte[] region : example.regionPixels()) {
                deflater.setInput(region);
                while (!deflater.needsInput()) {
                    out.write(chunk, 0, deflater.deflate(chunk));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return new ReplayEntry(example.regionCount(), regionBytes, out.toByteArray(), example.attributes());
        } finally {
            deflater.end();
        }
    }

    /** The image again, pixels inflated (no ground truth: the learner never needs it). */
    MappingExample example() {
        byte[] all = new byte[regions * regionBytes];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            int n = 0;
            while (n < all.length) {
                int got = inflater.inflate(all, n, all.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput())) {
                    throw new IllegalStateException("replay entry holds " + n + " of " + all.length + " pixel bytes");
                }
                n += got;
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("replay entry does not inflate: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        List<byte[]> pixels = new ArrayList<>(regions);
        for (int r = 0; r < regions; r++) {
            byte[] region = new byte[regionBytes];
            System.arraycopy(all, r * regionBytes, region, 0, regionBytes);
            pixels.add(region);
        }
        return new MappingExample(pixels, attributes, null);
    }
}
