package io.villa.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** The text tower = a backbone, a linear projection into the joint space, and L2 normalisation (see {@link ImageTower}). */
public final class Tower {

    private Tower() {
    }

    public static SequentialBlock of(Block backbone, int embeddingDim) {
        return new SequentialBlock()
                .add(backbone)
                .add(Linear.builder().setUnits(embeddingDim).build())
                .add(Normalize.block());
    }
}
