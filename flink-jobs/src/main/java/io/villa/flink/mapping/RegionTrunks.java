package io.villa.flink.mapping;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * Built-in region encoders that need no pretrained weights. Input (regions, 3, size, size) RGB in [0,1];
 * output (regions, features).
 */
public final class RegionTrunks {

    private RegionTrunks() {
    }

    /**
     * Raw pixels, arranged so an MLP head finds colour-free shape and shape-free colour: brightest channel
     * (the stroke, whatever its colour), darkest channel (only white strokes survive: outlines), and a 4x4
     * average of each colour channel.
     */
    public static Block pixels(int size) {
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            long n = x.getShape().get(0);
            NDArray bright = x.max(new int[] {1}).reshape(n, -1);
            NDArray white = x.min(new int[] {1}).reshape(n, -1);
            NDArray colour = x.reshape(n, 3, size / 4, 4, size / 4, 4).mean(new int[] {5}).mean(new int[] {3}).reshape(n, -1);
            return new NDList(bright.concat(white, 1).concat(colour, 1));
        }, "pixelFeatures");
    }

    public static int pixelFeatureCount(int size) {
        return 2 * size * size + 3 * (size / 4) * (size / 4);
    }

    /**
     * A small conv trunk trained through the mapping loss (three conv layers, pooled to 3x3 cells) next to
     * four fixed colour statistics. The conv layers see RGB plus the brightest and darkest channel (stroke
     * and white outlines made explicit); the statistics give the stroke's colour independent of how many
     * pixels the stroke has, so a thin and a thick digit of one colour score alike.
     */
    public static Block conv() {
        return new ParallelBlock(list -> new NDList(NDArrays.concat(new NDList(list.get(0).singletonOrThrow(),
                list.get(1).singletonOrThrow()), 1)), List.of(convLayers(), colourStatistics()));
    }

    /** Per region: mean RGB of saturated pixels (weighted by max-min channel), their share, and the share of white. */
    static Block colourStatistics() {
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            NDArray max = x.max(new int[] {1}, true);
            NDArray min = x.min(new int[] {1}, true);
            NDArray saturation = max.sub(min);                                                     // (N,1,S,S)
            NDArray weight = saturation.sum(new int[] {2, 3}).add(1e-3f);                          // (N,1)
            NDArray hue = x.mul(saturation).sum(new int[] {2, 3}).div(weight);                     // (N,3)
            float pixels = x.getShape().get(2) * x.getShape().get(3);
            NDArray share = saturation.sum(new int[] {2, 3}).div(pixels);                          // (N,1)
            NDArray white = min.sum(new int[] {2, 3}).div(pixels);                                 // (N,1)
            return new NDList(NDArrays.concat(new NDList(hue, share.mul(4f), white.mul(4f)), 1));
        }, "colourStatistics");
    }

    static final int COLOUR_STATISTICS = 5;

    private static Block convLayers() {
        return new SequentialBlock()
                .add(new LambdaBlock(list -> {
                    NDArray x = list.singletonOrThrow();
                    return new NDList(NDArrays.concat(new NDList(x, x.max(new int[] {1}, true), x.min(new int[] {1}, true)), 1));
                }, "strokeAndWhiteChannels"))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(CONV_CHANNELS).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock());
    }

    static final int CONV_CHANNELS = 48;

    /** Size/4 after two 2x2 pools, then a 3x3 pool with stride 2. */
    public static int convFeatureCount(int size) {
        int cells = (size / 4 - 3) / 2 + 1;
        return CONV_CHANNELS * cells * cells + COLOUR_STATISTICS;
    }
}
