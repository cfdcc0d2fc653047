package io.villa.trainer.image;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.villa.trainer.model.RoiAlignWeights;

/**
 * The image tower's three inputs for a batch of regions: each distinct whole image once (regions of one image share
 * it, so the backbone runs once per image), per region the index of its image, and per region its RoIAlign weights
 * over the feature-map cells.
 */
public final class RegionBatch {

    /** One region: its whole image and its box in that image's pixels. */
    public record Region(WholeImage image, RegionBox box) {
    }

    private final List<WholeImage> images = new ArrayList<>();
    private final long[] imageIndex;
    private final float[] weights;
    private final int side;
    private final int cells;

    /**
     * @param side      the tower's image size: every image must have it
     * @param mapHeight the backbone's feature-map height for that image size
     * @param mapWidth  and width
     */
    public RegionBatch(List<Region> regions, int side, int mapHeight, int mapWidth) {
        this.side = side;
        this.imageIndex = new long[regions.size()];
        this.cells = mapHeight * mapWidth;
        this.weights = new float[regions.size() * cells];
        Map<byte[], Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            WholeImage image = r.image();
            if (image.side() != side || image.rgb().length != side * side * 3) {
                throw new IllegalArgumentException("region " + i + ": its image has " + image.rgb().length + " bytes at side "
                        + image.side() + ", expected " + side * side * 3 + " (" + side + " x " + side + " RGB)");
            }
            Integer index = seen.get(image.rgb());
            if (index == null) {
                index = images.size();
                seen.put(image.rgb(), index);
                images.add(image);
            }
            imageIndex[i] = index;
            System.arraycopy(RoiAlignWeights.of(r.box(), side, mapHeight, mapWidth), 0, weights, i * cells, cells);
        }
    }

    /** Distinct images in the batch. */
    public int imageCount() {
        return images.size();
    }

    /** (images, 3, side, side) float in [0, 1]; (regions, cells) weights; (regions) int64 image index. */
    public NDList toArrays(NDManager manager) {
        byte[] all = new byte[images.size() * side * side * 3];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).rgb(), 0, all, i * side * side * 3, side * side * 3);
        }
        NDArray hwc = manager.create(ByteBuffer.wrap(all), new Shape(images.size(), side, side, 3), DataType.UINT8);
        NDArray pixels = hwc.toType(DataType.FLOAT32, false).div(255f).transpose(0, 3, 1, 2);
        return new NDList(pixels, manager.create(weights, new Shape(imageIndex.length, cells)), manager.create(imageIndex));
    }
}
