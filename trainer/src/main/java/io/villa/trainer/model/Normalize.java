package io.villa.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.LambdaBlock;

/** L2 normalisation of rows: both towers end with it, so a dot product is a cosine. */
public final class Normalize {

    private Normalize() {
    }

    public static NDArray rows(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    public static LambdaBlock block() {
        return LambdaBlock.singleton(Normalize::rows, "l2normalize");
    }
}
