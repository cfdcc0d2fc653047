package io.villa.flink.mapping;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * Built-in region encoders that need no pretrained weights and assume nothing about what the images show (a
 * synthetic benchmark, an X-ray crop): input (regions, 3, size, size) RGB in [0,1]; output (regions, features).
 */
public final class RegionTrunks {

    /** Channels of the conv trunk's three stages. */
    static final int[] CHANNELS = {16, 32, 64};
    /** Channels per group of the trunk's group norms. */
    static final int GROUP = 8;

    private RegionTrunks() {
    }

    /**
     * The RGB pixels, flattened and centred on 0 (values in [-1,1], so no pixel starts out as a common offset of every
     * head's input): the attribute heads alone learn (small and fast: tests, baselines).
     */
    public static Block pixels() {
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            return new NDList(x.reshape(x.getShape().get(0), -1).mul(2f).sub(1f));
        }, "centredPixels");
    }

    public static int pixelFeatureCount(int size) {
        return 3 * size * size;
    }

    /**
     * A small CNN learned from RGB through the mapping loss: three conv stages (conv, group norm, ReLU; 2x2 max
     * pooling between them), then each channel's global average (how much of the region shows it) next to its
     * global maximum (whether it shows anywhere, however small). Group norm, not batch norm: a region's features
     * never depend on which other regions share its batch, in training or when applied.
     */
    public static Block conv() {
        SequentialBlock trunk = new SequentialBlock();
        for (int stage = 0; stage < CHANNELS.length; stage++) {
            int kernel = stage == 0 ? 5 : 3;
            trunk.add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(kernel / 2, kernel / 2))
                            .setFilters(CHANNELS[stage]).build())
                    .add(new GroupNorm(CHANNELS[stage], CHANNELS[stage] / GROUP))
                    .add(Activation.reluBlock());
            if (stage < CHANNELS.length - 1) {
                trunk.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return trunk.add(new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            NDArray pixels = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);        // (N, C, H*W)
            return new NDList(pixels.mean(new int[] {2}).concat(pixels.max(new int[] {2}), 1)); // (N, 2C)
        }, "globalAverageAndMax"));
    }

    public static int convFeatureCount() {
        return 2 * CHANNELS[CHANNELS.length - 1];
    }
}
