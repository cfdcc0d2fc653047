package io.villa.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Symmetric InfoNCE with in-batch negatives: 0.5 * (image -> text) + 0.5 * (text -> image).
 *
 * <p>Labels: one id per example naming its text; examples with equal ids carry the same text. Such
 * pairs are removed from each other's negatives (their logits are masked to -inf before the softmax)
 * because DocMNIST repeats sentences a lot and calling an identical text a negative teaches nonsense.
 * The positive (the diagonal) is always kept.
 *
 * <p>Predictions: image embeddings (B, D), text embeddings (B, D), logit scale (1), as from
 * {@link DualEncoder}.
 */
public final class ContrastiveLoss extends Loss {

    private static final float MASKED = -1e9f;

    public ContrastiveLoss() {
        super("InfoNCE");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray images = predictions.get(0);
        NDArray texts = predictions.get(1);
        NDArray scale = predictions.get(2);
        NDArray textIds = labels.singletonOrThrow();
        long n = images.getShape().get(0);

        NDArray logits = images.matMul(texts.transpose()).mul(scale);               // (B,B): row = image, column = text
        NDArray eye = images.getManager().eye((int) n).toType(DataType.BOOLEAN, false);
        NDArray sameText = textIds.expandDims(1).eq(textIds.expandDims(0));        // symmetric
        NDArray masked = sameText.logicalAnd(eye.logicalNot());
        NDArray maskedLogits = logits.add(masked.toType(DataType.FLOAT32, false).mul(MASKED));
        NDArray eyeF = eye.toType(DataType.FLOAT32, false);

        NDArray imageToText = maskedLogits.logSoftmax(1).mul(eyeF).sum(new int[] {1}).neg().mean();
        NDArray textToImage = maskedLogits.logSoftmax(0).mul(eyeF).sum(new int[] {0}).neg().mean();
        return imageToText.add(textToImage).mul(0.5f);
    }
}
