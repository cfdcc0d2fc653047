package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.config.TrainerSettings;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;

/**
 * The trainer's benchmark (figures in BENCHMARKS.md): villa vs clip on DocMNIST (oracle
 * decomposition) at the same budget, and Kafka-fed vs memory-fed throughput, and peak memory.
 *
 * <p>Arguments (all optional): steps per mode (2000; 0 skips the comparison), batch size (64), throughput steps per run (400; 3 rounds alternating Kafka and memory),
 * train attribute budget (30000), validation budget (10000), target complexity (16), threads (0 = all).
 */
public final class TrainerBench {

    public static void main(String[] args) throws Exception {
        long steps = arg(args, 0, 2000);
        int batch = (int) arg(args, 1, 64);
        long requestedThroughputSteps = arg(args, 2, 400);
        int trainBudget = (int) arg(args, 3, 30000);
        int valBudget = (int) arg(args, 4, 10000);
        int complexity = (int) arg(args, 5, 16);
        int threads = (int) arg(args, 6, 0);

        long t0 = System.nanoTime();
        List<RegionAttributePair> trainRecords = OracleStream.records(Split.TRAIN, trainBudget, complexity, 1);
        List<RegionAttributePair> valRecords = OracleStream.records(Split.VAL, valBudget, complexity, 2);
        TrainerSettings settings = TrainerSettings.defaults().withBatchSize(batch);
        ExampleDecoder decoder = new ExampleDecoder(settings.imageSize());
        List<Example> train = trainRecords.stream().map(decoder::decode).toList();
        List<Example> val = valRecords.stream().map(decoder::decode).toList();
        System.out.printf(Locale.ROOT, "data: %d train records (%d whole images), %d validation records, %.0f s%n",
                train.size(), train.stream().filter(Example::wholeImage).count(), val.size(), (System.nanoTime() - t0) / 1e9);

        if (steps > 0) {
            System.out.printf(Locale.ROOT, "== villa vs clip: %d steps x batch %d each, same seed%n", steps, batch);
            for (ModeComparison.Row row : ModeComparison.run(settings, train, val, steps, threads, TrainingMode.VILLA, TrainingMode.CLIP)) {
                System.out.println(row.line());
                System.out.println(row.validation().table());
            }
        }

        int copies = 3; // the topic holds the training records three times: long enough a run to time
        long throughputSteps = Math.min(requestedThroughputSteps, (long) copies * train.size() / batch - 1);
        System.out.printf(Locale.ROOT, "== throughput, villa mode, batch %d%n", batch);
        try (TestKafka kafka = TestKafka.start()) {
            String topic = "bench-region-attribute-pairs";
            kafka.createTopic(topic, 2);
            List<RegionAttributePair> shuffled = new ArrayList<>(trainRecords);
            java.util.Collections.shuffle(shuffled, new java.util.Random(3));
            for (int c = 0; c < copies; c++) {
                kafka.produceCommitted(OracleStream.kafkaRecords(topic, shuffled));
            }
            PipelineThroughput.Result r = PipelineThroughput.run(kafka.settings(), topic, train, settings, throughputSteps, 3, threads);
            System.out.println(r.line());
        }
        System.out.printf(Locale.ROOT, "peak memory: RSS %d MiB, Java heap %d MiB; total %.0f s%n",
                PeakMemory.peakRssMib(), PeakMemory.peakHeapMib(), (System.nanoTime() - t0) / 1e9);
    }

    private static long arg(String[] args, int i, long def) {
        return args.length > i ? Long.parseLong(args[i]) : def;
    }
}
