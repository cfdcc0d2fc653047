package io.villa.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The built-in text backbone. Input: token ids (batch, sentences, tokens), 0 = padding. A sentence is
 * the mean of its word embeddings passed through a small MLP; a text is the mean of its sentences.
 * Output (batch, dim).
 */
public final class BagOfWordsBackbone extends AbstractBlock {

    private final Parameter wordEmbeddings;
    private final SequentialBlock sentenceMlp;
    private final int dim;

    public BagOfWordsBackbone(int vocabularySize, int dim) {
        super((byte) 1);
        this.dim = dim;
        wordEmbeddings = addParameter(Parameter.builder()
                .setName("wordEmbeddings")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, dim))
                .optInitializer(new NormalInitializer(0.1f))
                .build());
        sentenceMlp = addChildBlock("sentenceMlp", new SequentialBlock()
                .add(Linear.builder().setUnits(dim).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(dim).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray table = store.getValue(wordEmbeddings, ids.getDevice(), training);
        NDArray words = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow(); // (B,S,T,D)
        NDArray tokenMask = ids.gt(0).toType(DataType.FLOAT32, false).expandDims(-1);         // (B,S,T,1)
        NDArray tokenCount = tokenMask.sum(new int[] {2});                                     // (B,S,1)
        NDArray sentenceMean = words.mul(tokenMask).sum(new int[] {2}).div(tokenCount.maximum(1f)); // (B,S,D)
        NDArray sentences = sentenceMlp.forward(store, new NDList(sentenceMean), training, params).singletonOrThrow();
        NDArray sentenceMask = tokenCount.gt(0).toType(DataType.FLOAT32, false);               // (B,S,1)
        NDArray text = sentences.mul(sentenceMask).sum(new int[] {1})
                .div(sentenceMask.sum(new int[] {1}).maximum(1f));                            // (B,D)
        return new NDList(text);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        sentenceMlp.initialize(manager, dataType, new Shape(in.get(0), in.get(1), dim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
