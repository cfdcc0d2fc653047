package io.villa.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistCache;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.trainer.eval.CheckpointEvaluation;
import io.villa.trainer.eval.RetrievalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** villa eval: retrieval quality of a saved model on a DocMNIST split, without Kafka. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a checkpoint on a DocMNIST split: text -> region and region -> text retrieval",
            "(R-precision, precision@k, mAP; macro over attributes, and the per-attribute table).",
            "The held-out regions are the generator's ground-truth cells (oracle regions); no Kafka needed."
        })
public final class EvalCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            description = "a checkpoint directory (ckpt-... written by villa train)")
    Path checkpoint;

    @Option(names = "--split", defaultValue = "val", description = "val or test (default ${DEFAULT-VALUE})")
    Split split;

    @Option(
            names = "--budget",
            defaultValue = "10000",
            description = "region-attribute pairs of the split (default ${DEFAULT-VALUE})")
    long budget;

    @Option(
            names = "--complexity",
            defaultValue = "16",
            description = "target sample complexity (default ${DEFAULT-VALUE})")
    int complexity;

    @Option(names = "--seed", defaultValue = "42", description = "DocMNIST seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--mnist-dir",
            description = "where the MNIST files are (default: the MNIST cache; fetched when missing)")
    Path mnistDir;

    @Option(names = "--device", converter = DeviceName.class, description = "auto (default), cpu, gpu or gpu:N")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads; 0 = one per core")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (split == Split.TRAIN) {
            System.err.println("villa eval: evaluate on val or test, never on the training split");
            return 2;
        }
        DocMnistConfig config = DocMnistConfig.builder()
                .optSeed(seed)
                .optTargetComplexity(complexity)
                .optBudgets(0, budget, budget)
                .build();
        DocMnistGenerator generator =
                new DocMnistGenerator(MnistDigits.fromCache(MnistCache.resolve(mnistDir)), config);
        List<ImageReportPair> pairs = new ArrayList<>();
        for (Iterator<ImageReportPair> it = generator.records(split); it.hasNext(); ) {
            pairs.add(it.next());
        }
        RetrievalReport report = CheckpointEvaluation.evaluate(checkpoint, device, threads, pairs);
        System.out.printf(
                Locale.ROOT,
                "%s: DocMNIST %s split, budget %d, complexity %d, seed %d: %d images, %d regions%n",
                checkpoint,
                split.name().toLowerCase(Locale.ROOT),
                budget,
                complexity,
                seed,
                pairs.size(),
                report.regions());
        System.out.print(report.table());
        return 0;
    }
}
