package io.villa.trainer.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;
import io.villa.trainer.data.Examples;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.oracle.OracleDecomposition;

/**
 * Evaluates a saved model on synthetic pairs without Kafka: the pairs' ground-truth regions (the
 * oracle decomposition) are the held-out regions, scored as during training.
 */
public final class CheckpointEvaluation {

    private CheckpointEvaluation() {}

    /** The pairs' oracle regions, each with its whole image and box (and the whole images, which evaluation skips). */
    public static List<Example> heldOutRegions(List<ImageReportPair> pairs, int imageSize) {
        List<RegionAttributePair> records = new ArrayList<>();
        for (ImageReportPair pair : pairs) {
            records.addAll(OracleDecomposition.decompose(pair));
        }
        return Examples.fromRecords(records, new ExampleDecoder(imageSize));
    }

    public static RetrievalReport evaluate(Path checkpoint, String device, int cpuThreads, List<ImageReportPair> pairs)
            throws IOException {
        try (ContrastiveModel model = ContrastiveModel.load(checkpoint, device, cpuThreads)) {
            return RetrievalEvaluator.evaluate(
                    model, heldOutRegions(pairs, model.config().imageSize()));
        }
    }
}
