package io.villa.trainer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.KafkaRegionSource;
import io.villa.trainer.service.ServiceConfig;
import io.villa.trainer.service.TrainerEventSink;
import io.villa.trainer.service.TrainingService;
import io.villa.trainer.train.MemoryTraining;

/**
 * What the Kafka pipeline costs the trainer: regions/s of the same model fed by the service from a
 * topic (consume, decode Avro and PNG, batch, train) against fed from decoded examples in memory, in
 * one process. Measured in rounds that alternate which side goes first, each round giving a ratio, so
 * that a load change on a shared machine biases neither side; the median ratio is reported. The first
 * step of each run is left out of its timing (start-up).
 */
public final class PipelineThroughput {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineThroughput.class);

    private PipelineThroughput() {}

    /**
     * One run's rates: regions per wall-clock second, and per second of CPU time of this whole process (every thread,
     * PyTorch's included). The second is much less sensitive to other processes on a shared machine, and shows what the
     * pipeline costs in work rather than in waiting.
     */
    public record Rate(double wall, double cpu) {}

    /** Per round, both sides. */
    public record Result(long steps, List<Rate> kafka, List<Rate> memory) {
        public List<Double> ratios() {
            return ratios(Rate::wall);
        }

        /** Kafka over memory in regions per CPU-second, per round. */
        public List<Double> cpuRatios() {
            return ratios(Rate::cpu);
        }

        private List<Double> ratios(java.util.function.ToDoubleFunction<Rate> of) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < kafka.size(); i++) {
                out.add(of.applyAsDouble(kafka.get(i)) / of.applyAsDouble(memory.get(i)));
            }
            return out;
        }

        public double medianRatio() {
            return median(ratios());
        }

        public double medianCpuRatio() {
            return median(cpuRatios());
        }

        private static double median(List<Double> values) {
            List<Double> r = new ArrayList<>(values);
            r.sort(Double::compare);
            return r.size() % 2 == 1 ? r.get(r.size() / 2) : (r.get(r.size() / 2 - 1) + r.get(r.size() / 2)) / 2;
        }

        public String line() {
            StringBuilder sb =
                    new StringBuilder(String.format(Locale.ROOT, "%d steps a run, %d rounds:", steps, kafka.size()));
            for (int i = 0; i < kafka.size(); i++) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%n  round %d: from Kafka %.1f regions/s (%.1f per CPU-s), from memory %.1f"
                                + " regions/s (%.1f per CPU-s), ratio %.3f (per CPU-s %.3f)",
                        i + 1,
                        kafka.get(i).wall(),
                        kafka.get(i).cpu(),
                        memory.get(i).wall(),
                        memory.get(i).cpu(),
                        ratios().get(i),
                        cpuRatios().get(i)));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "%n  median ratio %.3f (regions/s), %.3f (regions per CPU-second)",
                    medianRatio(),
                    medianCpuRatio()));
            return sb.toString();
        }
    }

    /**
     * @param topic holds (at least) the records {@code inMemory} was decoded from, enough for {@code steps} batches
     */
    public static Result run(
            KafkaSettings kafka,
            String topic,
            List<Example> inMemory,
            TrainerConfig settings,
            long steps,
            int rounds,
            int cpuThreads)
            throws Exception {
        try (ContrastiveModel warm = ContrastiveModel.create(settings, cpuThreads)) {
            MemoryTraining.run(warm, inMemory, 100, 1, (s, l, k) -> {}); // JIT, allocator, kernels
        }
        List<Rate> fromKafka = new ArrayList<>();
        List<Rate> fromMemory = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Rate k;
            Rate m;
            if (round % 2 == 0) {
                m = memoryRate(inMemory, settings, steps, cpuThreads);
                k = kafkaRate(kafka, topic, settings, steps, cpuThreads);
            } else {
                k = kafkaRate(kafka, topic, settings, steps, cpuThreads);
                m = memoryRate(inMemory, settings, steps, cpuThreads);
            }
            fromKafka.add(k);
            fromMemory.add(m);
        }
        return new Result(steps, fromKafka, fromMemory);
    }

    /** A fresh trainer service (new checkpoint directory, so from the topic's beginning) for {@code steps} steps. */
    private static Rate kafkaRate(KafkaSettings kafka, String topic, TrainerConfig settings, long steps, int cpuThreads)
            throws Exception {
        Timer timer = new Timer();
        Path dir = Files.createTempDirectory("throughput-ckpt");
        ServiceConfig service = ServiceConfig.builder(topic)
                .optCheckpointing(Integer.MAX_VALUE, 1)
                .optEvalEvery(0)
                .optStopAfter(steps, 10_000)
                .optProgress(false)
                .optCpuThreads(cpuThreads)
                .build();
        try (KafkaRegionSource source = new KafkaRegionSource(kafka, topic, "villa-trainer-throughput");
                TrainingService trainer = new TrainingService(
                        settings,
                        service,
                        source,
                        new CheckpointStore(dir, 1),
                        TrainerEventSink.NONE,
                        letter -> {},
                        timer::onStep)) {
            trainer.run();
        }
        LOG.info("from Kafka: {} regions/s", String.format("%.1f", timer.rate().wall()));
        return timer.rate();
    }

    /** A fresh model trained from memory for {@code steps} steps. */
    private static Rate memoryRate(List<Example> inMemory, TrainerConfig settings, long steps, int cpuThreads)
            throws Exception {
        Timer timer = new Timer();
        try (ContrastiveModel model = ContrastiveModel.create(settings, cpuThreads)) {
            MemoryTraining.run(model, inMemory, steps, settings.seed(), timer::onStep);
        }
        LOG.info("from memory: {} regions/s", String.format("%.1f", timer.rate().wall()));
        return timer.rate();
    }

    /** Regions trained per second between the end of the first step and the end of the last. */
    private static final class Timer {
        private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private long regions;
        private long start;
        private long end;
        private long cpuStart;
        private long cpuEnd;

        void onStep(long step, float loss, List<String> keys) {
            if (step == 1 || start == 0) {
                start = System.nanoTime();
                cpuStart = OS.getProcessCpuTime();
                return;
            }
            regions += keys.stream().filter(k -> !k.endsWith("#-1")).count();
            end = System.nanoTime();
            cpuEnd = OS.getProcessCpuTime();
        }

        Rate rate() {
            return new Rate(regions / ((end - start) / 1e9), regions / ((cpuEnd - cpuStart) / 1e9));
        }
    }
}
