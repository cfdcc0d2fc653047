package io.villa.trainer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/** DocMNIST from the producers' generator (real MNIST digits, fetched into the MNIST cache when missing). */
public final class DocMnistData {

    private static MnistDigits digits;

    private DocMnistData() {}

    private static synchronized MnistDigits digits() {
        if (digits == null) {
            digits = MnistDigits.fromDefaultCache();
        }
        return digits;
    }

    /** The images of one split until {@code budget} region-attribute pairs, at a target complexity. */
    public static List<ImageReportPair> pairs(Split split, int budget, int complexity, long seed) {
        DocMnistConfig config = DocMnistConfig.builder()
                .optSeed(seed)
                .optTargetComplexity(complexity)
                .optBudgets(budget, budget, budget)
                .build();
        List<ImageReportPair> out = new ArrayList<>();
        for (Iterator<ImageReportPair> it = new DocMnistGenerator(digits(), config).records(split); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
