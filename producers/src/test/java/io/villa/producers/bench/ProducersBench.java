package io.villa.producers.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.kafka.Attempt;
import io.villa.producers.kafka.Attempts;
import io.villa.producers.kafka.PairProducer;
import io.villa.producers.kafka.ProduceSummary;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/**
 * Producer benchmarks: DocMNIST generation throughput (no Kafka; samples only, and rendered + PNG-encoded records,
 * on one thread and on all cores) and produce throughput to an embedded broker (generating on the fly, and from
 * records generated beforehand). Arguments: [images] [complexity]. See producers/bench.sh.
 */
public final class ProducersBench {

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int complexity = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        MnistDigits digits = MnistDigits.fromDefaultCache();
        DocMnistConfig config = DocMnistConfig.builder()
                .optTargetComplexity(complexity)
                .optContinuous(true)
                .build();
        DocMnistGenerator generator = new DocMnistGenerator(digits, config);
        System.out.printf(
                Locale.ROOT,
                "DocMNIST target complexity %d, %d images, %d cores%n",
                complexity,
                images,
                Runtime.getRuntime().availableProcessors());

        warmUp(generator);
        long t0 = System.nanoTime();
        Iterator<?> samples = generator.samples(Split.TRAIN);
        for (int i = 0; i < images; i++) {
            samples.next();
        }
        report("generate samples (layout + report), 1 thread", images, 0, t0);

        t0 = System.nanoTime();
        long bytes = 0;
        Iterator<ImageReportPair> records = generator.records(Split.TRAIN);
        for (int i = 0; i < images; i++) {
            bytes += records.next().getImage().getData().remaining();
        }
        report("generate records (render + PNG), 1 thread", images, bytes, t0);

        t0 = System.nanoTime();
        AtomicLong parallelBytes = new AtomicLong();
        LongStream.range(0, images)
                .parallel()
                .forEach(i -> parallelBytes.addAndGet(generator
                        .record(generator.sample(Split.TRAIN, i))
                        .getImage()
                        .getData()
                        .remaining()));
        report("generate records (render + PNG), all cores", images, parallelBytes.get(), t0);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            TopicNames topics = new TopicNames("bench.pairs", "bench.regions", "bench.dead", "bench.events");
            broker.createTopics(topics, 4);
            Iterator<Attempt> live = limit(Attempts.docMnist(generator, List.of(Split.TRAIN)), images);
            produce(broker, topics, "produce docmnist (generated on the fly)", live, images);

            List<Attempt> ready = new ArrayList<>(images);
            Iterator<ImageReportPair> more = new DocMnistGenerator(
                            digits,
                            config.toBuilder().optSeed(config.seed() + 1).build())
                    .records(Split.TRAIN);
            for (int i = 0; i < images; i++) {
                ready.add(Attempt.of(more.next()));
            }
            produce(broker, topics, "produce pre-generated records", ready.iterator(), images);
        }
    }

    private static void produce(
            EmbeddedKafkaBroker broker, TopicNames topics, String what, Iterator<Attempt> attempts, int images) {
        try (PairProducer producer =
                new PairProducer(broker.settings(), topics.imageReportPairs(), topics.deadLetters(), "bench")) {
            ProduceSummary summary = producer.run(attempts, new PairProducer.RunOptions(what, 0, images, false));
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %8d records %7.2f s %9.0f records/s %7.2f MB/s (Avro record bytes)%n",
                    what,
                    summary.sent(),
                    summary.seconds(),
                    summary.recordsPerSecond(),
                    summary.megabytesPerSecond());
            if (summary.failed() > 0) {
                System.out.println(summary.format(5));
            }
        }
    }

    private static Iterator<Attempt> limit(Iterator<Attempt> it, int count) {
        return new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < count && it.hasNext();
            }

            @Override
            public Attempt next() {
                taken++;
                return it.next();
            }
        };
    }

    private static void warmUp(DocMnistGenerator generator) {
        for (int i = 0; i < 2000; i++) {
            generator.record(generator.sample(Split.VAL, i));
        }
    }

    private static void report(String what, int images, long bytes, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%-52s %8d images  %7.2f s %9.0f images/s%s%n",
                what,
                images,
                seconds,
                images / seconds,
                bytes == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " %7.2f MB/s PNG, %.0f B/image",
                                bytes / 1e6 / seconds,
                                (double) bytes / images));
    }
}
