package io.villa.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The built-in image backbone, fully convolutional: three 3x3 conv layers (batch norm, ReLU) with a 2x2 max pool after
 * the first two. Input (batch, 3, side, side) in [0, 1]; output the feature map (batch, 96, side/4, side/4): 21x21 for
 * an 84x84 DocMNIST image, so a 28-pixel cell covers 7x7 cells. Small on purpose: training runs on two CPU cores.
 *
 * <p>Receptive field: feature cell t (per axis) sees input pixels {@code 4t-7 .. 4t+10} (18 pixels); regions are
 * pooled from the cells their box covers ({@link RoiAlignWeights}), so a region sees a few pixels of context around
 * its box and nothing further.
 */
public final class ConvBackbone {

    static final int[] CHANNELS = {32, 64, 96};
    /** Input pixels per feature cell along an axis. */
    public static final int STRIDE = 4;

    private ConvBackbone() {
    }

    public static Block build() {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < CHANNELS.length; i++) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(CHANNELS[i]).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            if (i < CHANNELS.length - 1) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return net;
    }
}
