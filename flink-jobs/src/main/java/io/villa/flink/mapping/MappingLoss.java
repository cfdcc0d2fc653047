package io.villa.flink.mapping;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * The mapping model's batch loss (docs/ARCHITECTURE.md). For every image i and attribute a present in i:
 * {@code -log(exp(S(i,a)) / (exp(S(i,a)) + sum_{j without a} exp(S(j,a))))}, averaged over those terms.
 * Written as softplus(logsumexp_{j without a} S(j,a) - S(i,a)), which is the same number, stably.
 *
 * <p>Labels: presence (A, B), 1 where image i's report has attribute a. Predictions: [s, S (A, B)].
 */
public final class MappingLoss extends Loss {

    public MappingLoss() {
        super("mappingLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray present = labels.singletonOrThrow();
        NDArray score = predictions.get(1);
        // negatives of a: images of the batch without a; images with a are pushed to -1e4 (exp -> 0)
        NDArray negatives = score.add(present.mul(-1e4f));
        NDArray top = negatives.max(new int[] {1}, true).stopGradient();
        NDArray logNeg = negatives.sub(top).exp().sum(new int[] {1}, true).log().add(top);        // (A, 1)
        NDArray terms = Activation.softPlus(logNeg.sub(score)).mul(present);
        return terms.sum().div(present.sum().maximum(1f));
    }
}
