package io.villa.flink.mapping;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The ViLLA mapping model: a region trunk, one two-layer MLP head f_a per attribute and a fixed unit
 * vector e_a per attribute; s(r, a) = cos(f_a(x_r), e_a) and S(i, a) = max_r s(r, a) / T.
 *
 * <p>Input: regions (B, R, ...trunk input) and a region mask (B, R) with 1 for real regions (images have
 * different region counts, so batches are padded). Output: s (A, B, R) and S (A, B); padded regions never
 * win the max.
 */
public final class MappingNetwork extends AbstractBlock {

    private final Block trunk;
    private final int attributes;
    private final int width;
    private final int dim;
    private final float temperature;
    private final float[] unitVectors;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    public MappingNetwork(Block trunk, int features, int attributes, MappingConfig config) {
        super((byte) 1);
        this.trunk = addChildBlock("trunk", trunk);
        this.attributes = attributes;
        this.width = config.headWidth();
        this.dim = config.embeddingDim();
        this.temperature = config.temperature();
        this.unitVectors = unitVectors(attributes, dim, config.seed());
        // all heads' first layers as one matrix (one matmul for every attribute), second layers batched
        w1 = addParameter(Parameter.builder().setName("headW1").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(features, (long) attributes * width))
                .optInitializer(new NormalInitializer((float) Math.sqrt(2.0 / features))).build());
        b1 = addParameter(Parameter.builder().setName("headB1").setType(Parameter.Type.BIAS)
                .optShape(new Shape((long) attributes * width)).build());
        w2 = addParameter(Parameter.builder().setName("headW2").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(attributes, width, dim))
                .optInitializer(new NormalInitializer((float) Math.sqrt(1.0 / width))).build());
        b2 = addParameter(Parameter.builder().setName("headB2").setType(Parameter.Type.BIAS)
                .optShape(new Shape(attributes, 1, dim)).build());
    }

    /** Fixed random unit vectors e_a (seeded, never trained). */
    static float[] unitVectors(int attributes, int dim, long seed) {
        Random random = new Random(seed ^ 0x5eedL);
        float[] out = new float[attributes * dim];
        for (int a = 0; a < attributes; a++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                double v = random.nextGaussian();
                out[a * dim + d] = (float) v;
                norm += v * v;
            }
            for (int d = 0; d < dim; d++) {
                out[a * dim + d] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray regions = inputs.get(0);
        NDArray mask = inputs.get(1);
        long b = regions.getShape().get(0);
        long r = regions.getShape().get(1);
        Shape inner = regions.getShape().slice(2);
        NDArray flat = regions.reshape(new Shape(b * r).addAll(inner));
        NDArray x = trunk.forward(store, new NDList(flat), training, params).singletonOrThrow();   // (N, F)
        var device = x.getDevice();
        NDArray h = x.matMul(store.getValue(w1, device, training)).add(store.getValue(b1, device, training));
        // leaky: a head whose hidden units all die would score every region alike and never recover
        h = ai.djl.nn.Activation.leakyRelu(h, 0.1f).reshape(b * r, attributes, width).transpose(1, 0, 2); // (A, N, H)
        NDArray f = h.batchMatMul(store.getValue(w2, device, training)).add(store.getValue(b2, device, training)); // (A, N, D)
        NDArray fn = f.div(f.square().sum(new int[] {2}, true).add(1e-12f).sqrt());
        NDArray e = x.getManager().create(unitVectors).reshape(attributes, 1, dim);
        NDArray s = fn.mul(e).sum(new int[] {2}).reshape(attributes, b, r);                        // (A, B, R)
        NDArray penalty = mask.sub(1f).mul(1e4f).expandDims(0);                                     // 0 or -1e4
        NDArray imageScore = s.add(penalty).max(new int[] {2}).div(temperature);                   // (A, B)
        return new NDList(s, imageScore);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        trunk.initialize(manager, dataType, new Shape(in.get(0) * in.get(1)).addAll(in.slice(2)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(attributes, in.get(0), in.get(1)), new Shape(attributes, in.get(0))};
    }
}
