package io.villa.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The contrastive VLM: an image tower and a text tower into one L2-normalised space, plus the logit
 * scale (1 / temperature; learned in log space as in CLIP, capped at 100, or frozen).
 *
 * <p>Inputs: the {@link ImageTower}'s three (images, region weights, region image index) and token ids (batch,
 * sentences, tokens). Outputs: region embeddings (regions, dim), text embeddings (texts, dim), logit scale (scalar,
 * shape (1)). For training regions and texts pair up one to one; to embed one side alone, the other may hold one
 * dummy.
 */
public final class DualEncoder extends AbstractBlock {

    private static final float MAX_LOGIT_SCALE = 100f;

    private final ImageTower imageTower;
    private final Block textTower;
    private final Parameter logLogitScale;

    public DualEncoder(ImageTower imageTower, Block textTower, float temperature, boolean learnableTemperature) {
        super((byte) 1);
        this.imageTower = addChildBlock("imageTower", imageTower);
        this.textTower = addChildBlock("textTower", textTower);
        this.logLogitScale = addParameter(Parameter.builder()
                .setName("logLogitScale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1.0 / temperature)))
                .optRequiresGrad(learnableTemperature)
                .build());
    }

    public ImageTower imageTower() {
        return imageTower;
    }

    public Block textTower() {
        return textTower;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray tokens = inputs.get(3);
        NDArray imageEmbeddings = imageTower.forward(store, inputs.subNDList(0, 3), training, params).singletonOrThrow();
        NDArray textEmbeddings = textTower.forward(store, new NDList(tokens), training, params).singletonOrThrow();
        NDArray scale = store.getValue(logLogitScale, images.getDevice(), training).exp().minimum(MAX_LOGIT_SCALE);
        return new NDList(imageEmbeddings, textEmbeddings, scale);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        imageTower.initialize(manager, dataType, inputShapes[0], inputShapes[1], inputShapes[2]);
        textTower.initialize(manager, dataType, inputShapes[3]); // dataType = parameters' type; the ids are int64
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape img = imageTower.getOutputShapes(new Shape[] {inputShapes[0], inputShapes[1], inputShapes[2]})[0];
        Shape txt = textTower.getOutputShapes(new Shape[] {inputShapes[3]})[0];
        return new Shape[] {img, txt, new Shape(1)};
    }
}
