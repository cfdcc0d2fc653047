package io.villa.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.mapping.MappingQuality;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * DocMNIST through the whole system: TRAIN then VAL pairs into the embedded broker, the decomposition job with
 * the default mapping model in a MiniCluster, region-attribute pairs read back read_committed. Every pair is
 * decomposed exactly once and the validation mapping F1 (from the output records' attributes against their
 * ground truth) reaches the target, far above assigning every attribute of a report to every region. The job's own
 * quality event agrees with the records, and its figures per attribute type (digit, colour, shape, size) and the
 * learner's held-out scores are logged. Default: complexity 16, train budget 10,000 (~2 min); the paper's set-up
 * (30,000, F1 >= 0.90) with -Dvilla.docmnist.full=true; DocMNIST seed 23 (the paper's), or -Dvilla.docmnist.seed.
 *
 * <p>The job runs with {@code --max-learning-lag 0} and a version published every round, so each VAL pair is
 * decomposed by the model that learned from every TRAIN pair before it and the F1 from the output is the final
 * model's. {@code -Dvilla.docmnist.lag=STEPS} runs it with another bound (the F1 of the output is then that of
 * the versions the pairs met; it is logged, and checked only for 0), {@code -Dvilla.docmnist.models=DIR} keeps the
 * published versions (to compare final models across runs).
 */
class DocMnistDecomposeIT {

    private static final Logger LOG = LoggerFactory.getLogger(DocMnistDecomposeIT.class);
    private static final boolean FULL = Boolean.getBoolean("villa.docmnist.full");
    private static final long LAG = Long.getLong("villa.docmnist.lag", 0L);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void docMnistIsDecomposedExactlyOnceWithTheTargetMappingF1(@TempDir Path checkpoints) throws Exception {
        long trainBudget = FULL ? 30_000 : 10_000;
        long valBudget = FULL ? 10_000 : 3_000;
        double target = FULL ? 0.90 : 0.80;
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optSeed(Long.getLong("villa.docmnist.seed", 23L))
                        .optTargetComplexity(16)
                        .optBudgets(trainBudget, valBudget, 0)
                        .build());
        AttributeVocabulary vocabulary = AttributeVocabulary.docMnist();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            TopicNames topics =
                    new TopicNames("docmnist.pairs", "docmnist.regions", "docmnist.dead", "docmnist.events");
            broker.createTopics(topics, 1);
            Map<String, ImageReportPair> val = new HashMap<>();
            Set<String> all = new HashSet<>();
            try (KafkaProducer<String, ImageReportPair> producer =
                    KafkaClients.producer(broker.settings(), Codecs.IMAGE_REPORT_PAIR)) {
                for (Split split : List.of(Split.TRAIN, Split.VAL)) {
                    for (Iterator<ImageReportPair> it = generator.records(split); it.hasNext(); ) {
                        ImageReportPair pair = it.next();
                        producer.send(new ProducerRecord<>(topics.imageReportPairs(), pair.getPairId(), pair));
                        all.add(pair.getPairId());
                        if (split == Split.VAL) {
                            val.put(pair.getPairId(), pair);
                        }
                    }
                }
                producer.flush();
            }
            long start = System.nanoTime();
            DecomposeOptions options = new DecomposeOptions();
            new CommandLine(options)
                    .parseArgs(
                            "--bootstrap",
                            broker.bootstrapServers(),
                            "--topic-pairs",
                            topics.imageReportPairs(),
                            "--topic-regions",
                            topics.regionAttributePairs(),
                            "--topic-dead-letters",
                            topics.deadLetters(),
                            "--topic-trainer-events",
                            topics.trainerEvents(),
                            "--transactional-id-prefix",
                            "docmnist-it",
                            "--checkpoint-interval",
                            "5000",
                            "--checkpoint-dir",
                            checkpoints.toUri().toString(),
                            "--bounded",
                            "--log-every",
                            "250",
                            "--max-learning-lag",
                            String.valueOf(LAG),
                            "--publish-every",
                            "32",
                            "--model-dir",
                            System.getProperty(
                                    "villa.docmnist.models",
                                    checkpoints.resolve("models").toString()));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DecomposeJob.build(env, options);
            env.execute("docmnist-decompose-it");
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, Integer> wholeImages = new HashMap<>();
            List<String> types = vocabulary.typeNames();
            long[][] counted = new long[types.size() + 1][3]; // overall, then per type: correct, assigned, true pairs
            Set<String> regionKeys = new HashSet<>();
            for (byte[] value : readCommitted(broker, topics.regionAttributePairs())) {
                RegionAttributePair r = Codecs.REGION_ATTRIBUTE_PAIR.decode(value);
                assertThat(regionKeys.add(r.getPairId() + "#" + r.getRegionIndex()))
                        .as("no duplicate region")
                        .isTrue();
                if (r.getWholeImage()) {
                    wholeImages.merge(r.getPairId(), 1, Integer::sum);
                } else if (r.getSplit() == Split.VAL) {
                    count(vocabulary, counted, r.getAttributes(), 1);
                    count(
                            vocabulary,
                            counted,
                            r.getAttributes().stream()
                                    .filter(r.getGroundTruth()::contains)
                                    .toList(),
                            0);
                }
            }
            long everyAttributeEverywhere = 0; // the trivial decomposition: every report attribute to every region
            for (ImageReportPair p : val.values()) {
                long attributes = p.getGroundTruth().stream()
                        .flatMap(t -> t.getAttributes().stream())
                        .distinct()
                        .count();
                everyAttributeEverywhere += attributes * p.getRegions().size();
                p.getGroundTruth().forEach(t -> count(vocabulary, counted, t.getAttributes(), 2));
            }
            MappingQuality.Counts c = counts(counted[0]);
            double f1 = c.f1();
            double trivialPrecision = (double) c.truePairs / everyAttributeEverywhere;
            double trivialF1 = 2 * trivialPrecision / (trivialPrecision + 1);
            LOG.info(
                    "DocMNIST end to end (--max-learning-lag {}): {} pairs ({} val) in {} s; val precision {} recall {} F1 {} "
                            + "(every attribute everywhere: F1 {})",
                    LAG,
                    all.size(),
                    val.size(),
                    String.format("%.1f", seconds),
                    c.precision(),
                    c.recall(),
                    f1,
                    trivialF1);
            for (int t = 0; t < types.size(); t++) {
                MappingQuality.Counts typed = counts(counted[t + 1]);
                LOG.info(
                        "  val {}: precision {} recall {} F1 {}",
                        types.get(t),
                        typed.precision(),
                        typed.recall(),
                        typed.f1());
            }
            List<TrainerEvent> metrics = readCommitted(broker, topics.trainerEvents()).stream()
                    .map(Codecs.TRAINER_EVENT::decode)
                    .filter(e -> e.getKind() == TrainerEventKind.METRICS)
                    .toList();
            Map<String, Double> job = metrics.stream()
                    .filter(e -> e.getMetrics().containsKey("VAL.f1"))
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .getMetrics();
            metrics.stream()
                    .filter(e -> e.getMetrics().containsKey("HELDOUT.f1"))
                    .forEach(e -> LOG.info(
                            "  held-out version {} ({} TRAIN pairs): F1 {} on {} pairs",
                            e.getModelVersion(),
                            e.getSamplesSeen(),
                            e.getMetrics().get("HELDOUT.f1"),
                            e.getMetrics().get("HELDOUT.images")));
            assertThat(job.get("VAL.f1")).as("the job's VAL F1 is the records'").isCloseTo(f1, within(1e-9));
            for (int t = 0; t < types.size(); t++) {
                assertThat(job.get("VAL.f1." + types.get(t)))
                        .as("the job's VAL F1 of " + types.get(t))
                        .isCloseTo(counts(counted[t + 1]).f1(), within(1e-9));
            }
            assertThat(wholeImages.keySet()).as("every pair decomposed").isEqualTo(all);
            assertThat(wholeImages.values()).as("exactly once").containsOnly(1);
            assertThat(readCommitted(broker, topics.deadLetters()))
                    .as("no dead letters for valid pairs")
                    .isEmpty();
            if (LAG == 0) {
                assertThat(f1).isGreaterThanOrEqualTo(target).isGreaterThan(trivialF1 + 0.2);
            }
        }
    }

    /** Counts each word in {@code column} of the overall row and of its type's row. */
    private static void count(AttributeVocabulary vocabulary, long[][] counted, List<String> words, int column) {
        int[] typeOf = vocabulary.typeIndexes();
        for (String w : words) {
            int index = vocabulary.indexOf(w);
            counted[0][column]++;
            if (index >= 0 && typeOf[index] >= 0) {
                counted[typeOf[index] + 1][column]++;
            }
        }
    }

    private static MappingQuality.Counts counts(long[] row) {
        MappingQuality.Counts c = new MappingQuality.Counts();
        c.correct = row[0];
        c.assigned = row[1];
        c.truePairs = row[2];
        return c;
    }

    private static List<byte[]> readCommitted(EmbeddedKafkaBroker broker, String topic) {
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaClients.rawConsumer(broker.settings(), "it-" + System.nanoTime())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
