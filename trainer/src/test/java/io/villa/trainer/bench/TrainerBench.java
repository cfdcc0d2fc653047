package io.villa.trainer.bench;

import java.util.List;
import java.util.Locale;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;
import io.villa.trainer.data.Examples;

/**
 * The trainer's benchmark (figures in BENCHMARKS.md): villa vs clip on DocMNIST (oracle decomposition) on equal budgets
 * (the same passes over the same pairs, early stopping), Kafka-fed vs memory-fed throughput, and peak memory.
 *
 * <p>Arguments (all optional): passes per mode (10; 0 skips the comparison), batch size (64), throughput steps per run
 * (400; 0 skips it), train attribute budget (30000), validation (and test) budget (10000), target complexity (16), threads (0 = all),
 * early-stopping patience (5), throughput rounds alternating which side goes first (3).
 */
public final class TrainerBench {

    public static void main(String[] args) throws Exception {
        int passes = (int) arg(args, 0, 10);
        int batch = (int) arg(args, 1, 64);
        long requestedThroughputSteps = arg(args, 2, 400);
        int trainBudget = (int) arg(args, 3, 30000);
        int valBudget = (int) arg(args, 4, 10000);
        int complexity = (int) arg(args, 5, 16);
        int threads = (int) arg(args, 6, 0);
        int patience = (int) arg(args, 7, 5);
        int rounds = (int) arg(args, 8, 3);

        long t0 = System.nanoTime();
        List<RegionAttributePair> trainRecords = OracleStream.records(Split.TRAIN, trainBudget, complexity, 1);
        List<RegionAttributePair> valRecords = OracleStream.records(Split.VAL, valBudget, complexity, 2);
        List<RegionAttributePair> testRecords = OracleStream.records(Split.TEST, valBudget, complexity, 3);
        TrainerConfig settings = TrainerConfig.builder().optBatchSize(batch).build();
        ExampleDecoder decoder = new ExampleDecoder(settings.imageSize());
        List<Example> train = Examples.fromRecords(trainRecords, decoder);
        List<Example> val = Examples.fromRecords(valRecords, decoder);
        List<Example> test = Examples.fromRecords(testRecords, decoder);
        System.out.printf(
                Locale.ROOT,
                "data: %d train records (%d whole images), %d validation and %d test records, %.0f s%n",
                train.size(),
                train.stream().filter(Example::wholeImage).count(),
                val.size(),
                test.size(),
                (System.nanoTime() - t0) / 1e9);

        if (passes > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "== villa vs clip: up to %d passes over the same pairs (early stopping, patience %d),"
                            + " batch %d, same seed%n",
                    passes,
                    patience,
                    batch);
            for (ModeComparison.Row row : ModeComparison.run(
                    settings,
                    train,
                    val,
                    test,
                    new PassPlan(passes, patience),
                    threads,
                    TrainingMode.VILLA,
                    TrainingMode.CLIP)) {
                System.out.println(row.line());
                System.out.println(
                        "TEST split, best pass's model:\n" + row.test().table());
            }
        }

        if (requestedThroughputSteps > 0) {
            throughput(trainRecords, train, settings, batch, requestedThroughputSteps, rounds, threads);
        }
        System.out.printf(
                Locale.ROOT,
                "peak memory: RSS %d MiB, Java heap %d MiB; total %.0f s%n",
                PeakMemory.peakRssMib(),
                PeakMemory.peakHeapMib(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** Regions/s of the trainer fed from Kafka (embedded broker) against fed from memory, in alternating rounds. */
    private static void throughput(
            List<RegionAttributePair> trainRecords,
            List<Example> train,
            TrainerConfig settings,
            int batch,
            long requestedSteps,
            int rounds,
            int threads)
            throws Exception {
        int copies = 3; // the topic holds the training records three times: long enough a run to time
        long steps = Math.min(requestedSteps, (long) copies * train.size() / batch - 1);
        System.out.printf(Locale.ROOT, "== throughput, villa mode, batch %d%n", batch);
        try (TestKafka kafka = TestKafka.start()) {
            String topic = "bench-region-attribute-pairs";
            kafka.createTopic(topic, 2);
            List<RegionAttributePair> shuffled =
                    OracleStream.shuffledByPair(trainRecords, 3); // a pair's records stay together, in order
            for (int c = 0; c < copies; c++) {
                kafka.produceCommitted(OracleStream.kafkaRecords(topic, shuffled));
            }
            System.out.println(PipelineThroughput.run(kafka.settings(), topic, train, settings, steps, rounds, threads)
                    .line());
        }
    }

    private static long arg(String[] args, int i, long def) {
        return args.length > i ? Long.parseLong(args[i]) : def;
    }
}
