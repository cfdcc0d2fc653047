package io.villa.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The built-in image backbone: three 3x3 conv layers (batch norm, ReLU), two 2x2 max pools, global
 * average pool. Input (batch, 3, size, size) in [0, 1]; output (batch, channels of the last layer).
 * Small on purpose: DocMNIST regions are 28x28 and training runs on two CPU cores.
 */
public final class ConvBackbone {

    static final int[] CHANNELS = {32, 64, 96};

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
        net.add(Pool.globalAvgPool2dBlock());
        return net;
    }
}
