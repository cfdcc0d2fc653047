package io.villa.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The image tower: the backbone turns each whole image into a feature map; each region's feature is pooled from its
 * image's map with its RoIAlign weights ({@link RoiAlignWeights}); then a linear projection into the joint space and
 * L2 normalisation. A whole image is the region with the whole-image box, so regions and whole images share one tower.
 *
 * <p>Inputs: images (images, 3, side, side), weights (regions, h*w), image index (regions) int64. Output (regions, dim).
 */
public final class ImageTower extends AbstractBlock {

    private final Block backbone;
    private final Block projection;

    public ImageTower(Block backbone, int embeddingDim) {
        super((byte) 1);
        this.backbone = addChildBlock("backbone", backbone);
        this.projection = addChildBlock("projection", Linear.builder().setUnits(embeddingDim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray maps = backbone.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow(); // (N,C,h,w)
        NDArray weights = inputs.get(1);
        NDArray index = inputs.get(2);
        Shape s = maps.getShape();
        if (s.dimension() != 4 || s.get(2) * s.get(3) != weights.getShape().get(1)) {
            throw new IllegalStateException("the image backbone returned " + s + "; expected a feature map (images, channels, h, w)"
                    + " with h*w = " + weights.getShape().get(1));
        }
        NDArray cells = maps.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));         // (N,C,h*w)
        NDArray pooled = cells.get(index).matMul(weights.expandDims(2)).squeeze(2);     // (B,C,h*w) x (B,h*w,1)
        NDArray projected = projection.forward(store, new NDList(pooled), training, params).singletonOrThrow();
        return new NDList(Normalize.rows(projected));
    }

    /** The backbone's feature map for one {@code side x side} image: (1, channels, h, w). */
    public Shape featureMap(int side) {
        return backbone.getOutputShapes(new Shape[] {new Shape(1, 3, side, side)})[0];
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        Shape map = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        projection.initialize(manager, dataType, new Shape(inputShapes[1].get(0), map.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape map = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        return projection.getOutputShapes(new Shape[] {new Shape(inputShapes[1].get(0), map.get(1))});
    }
}
