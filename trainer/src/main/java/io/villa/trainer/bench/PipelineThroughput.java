package io.villa.trainer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerSettings;
import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.KafkaRegionSource;
import io.villa.trainer.service.ServiceSettings;
import io.villa.trainer.service.TrainerEventSink;
import io.villa.trainer.service.TrainingService;
import io.villa.trainer.train.MemoryTraining;

/**
 * What the Kafka pipeline costs the trainer: regions/s of the same model fed by the service from a
 * topic (consume, decode Avro and PNG, batch, train) against fed from decoded examples in memory, in
 * one process. The first step of each side is left out of its timing (start-up).
 */
public final class PipelineThroughput {

    private PipelineThroughput() {
    }

    public record Result(long steps, double kafkaRegionsPerSecond, double memoryRegionsPerSecond) {
        public double ratio() {
            return kafkaRegionsPerSecond / memoryRegionsPerSecond;
        }

        public String line() {
            return String.format(Locale.ROOT, "%d steps: from Kafka %.1f regions/s, from memory %.1f regions/s, ratio %.3f",
                    steps, kafkaRegionsPerSecond, memoryRegionsPerSecond, ratio());
        }
    }

    /**
     * @param topic holds (at least) the records {@code inMemory} was decoded from, enough for {@code steps} batches
     */
    public static Result run(Properties kafkaClientConfig, String topic, List<Example> inMemory, TrainerSettings settings,
                             long steps, int cpuThreads) throws Exception {
        // memory warm-up so neither side pays the JIT and allocator start alone
        try (ContrastiveModel warm = ContrastiveModel.create(settings, cpuThreads)) {
            MemoryTraining.run(warm, inMemory, 10, 1, (s, l, k) -> { });
        }
        long[] kafkaRegions = new long[1];
        long[] kafkaStart = new long[1];
        long[] kafkaEnd = new long[1];
        Path dir = Files.createTempDirectory("throughput-ckpt");
        ServiceSettings service = ServiceSettings.defaults(topic).withCheckpointing(Integer.MAX_VALUE, 1).withEvalEvery(0)
                .withLimits(steps, 10_000).withProgress(false).withCpuThreads(cpuThreads);
        try (KafkaRegionSource source = new KafkaRegionSource(kafkaClientConfig, topic);
             TrainingService trainer = new TrainingService(settings, service, source, new CheckpointStore(dir, 1),
                     TrainerEventSink.NONE, letter -> { }, (step, loss, keys) -> {
                         if (step == 1) {
                             kafkaStart[0] = System.nanoTime();
                         } else {
                             kafkaRegions[0] += keys.stream().filter(k -> !k.endsWith("#-1")).count();
                             kafkaEnd[0] = System.nanoTime();
                         }
                     })) {
            trainer.run();
        }
        double kafkaRate = kafkaRegions[0] / ((kafkaEnd[0] - kafkaStart[0]) / 1e9);

        long[] memRegions = new long[1];
        long[] memStart = new long[1];
        long[] memEnd = new long[1];
        try (ContrastiveModel model = ContrastiveModel.create(settings, cpuThreads)) {
            MemoryTraining.run(model, inMemory, steps, settings.seed(), (step, loss, keys) -> {
                if (step == 1) {
                    memStart[0] = System.nanoTime();
                } else {
                    memRegions[0] += keys.stream().filter(k -> !k.endsWith("#-1")).count();
                    memEnd[0] = System.nanoTime();
                }
            });
        }
        double memRate = memRegions[0] / ((memEnd[0] - memStart[0]) / 1e9);
        return new Result(steps, kafkaRate, memRate);
    }
}
