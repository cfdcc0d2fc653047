package io.villa.producers.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.AvroKafkaDeserializer;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.ingest.FeedFixtures;
import io.villa.producers.ingest.FolderFeed;
import io.villa.producers.ingest.IngestConverter;
import io.villa.producers.mnist.TestMnist;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** Produces DocMNIST and a folder feed with broken files through a real embedded broker. */
class ProduceThroughBrokerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void everyGoodRecordArrivesOnceAndEveryBrokenInputIsDeadLettered() throws Exception {
        TopicNames topics = new TopicNames("it.pairs", "it.regions", "it.dead", "it.events");
        KAFKA.broker().createTopics(topics, 3);

        // DocMNIST: the validation split of a small budget
        DocMnistGenerator generator = new DocMnistGenerator(
                TestMnist.digits(),
                DocMnistConfig.builder().optBudgets(0, 400, 0).build());
        List<Split> splits = List.of(Split.TRAIN, Split.VAL, Split.TEST);
        long expectedDocMnist = Attempts.docMnistCount(generator, splits);
        ProduceSummary docmnist;
        try (PairProducer producer = new PairProducer(
                KAFKA.broker().settings(), topics.imageReportPairs(), topics.deadLetters(), "produce.docmnist")) {
            docmnist = producer.run(
                    Attempts.docMnist(generator, splits),
                    new PairProducer.RunOptions("docmnist", 0, expectedDocMnist, false));
        }
        assertThat(expectedDocMnist).isGreaterThan(40);
        assertThat(docmnist.sent()).isEqualTo(expectedDocMnist);
        assertThat(docmnist.failed()).isZero();

        // a folder feed with broken files among good ones, ingested twice (a re-run)
        FeedFixtures.goodAndBrokenFolder(dir);
        IngestConverter converter = new IngestConverter("folder", Split.TRAIN, 256, Clock.systemUTC());
        ProduceSummary folder = null;
        for (int run = 0; run < 2; run++) {
            try (PairProducer producer = new PairProducer(
                    KAFKA.broker().settings(), topics.imageReportPairs(), topics.deadLetters(), "produce.folder")) {
                folder = producer.run(
                        Attempts.ingest(FolderFeed.list(dir), converter),
                        new PairProducer.RunOptions("folder", 50, -1, false));
            }
        }
        assertThat(folder.sent()).isEqualTo(5);
        assertThat(folder.failed()).isEqualTo(4);
        assertThat(folder.format(10))
                .contains("garbage.png", "UNDECODABLE_IMAGE", "orphan.txt", "blank.png", "lonely.png");

        // read back with read_committed consumers
        List<ConsumerRecord<String, ImageReportPair>> pairs =
                readAll(topics.imageReportPairs(), Codecs.IMAGE_REPORT_PAIR, expectedDocMnist + 10);
        Map<String, Integer> docmnistKeys = new HashMap<>();
        Map<String, Integer> folderKeys = new HashMap<>();
        for (ConsumerRecord<String, ImageReportPair> record : pairs) {
            assertThat(record.key()).isEqualTo(record.value().getPairId());
            Map<String, Integer> keys = record.value().getSource().equals("docmnist") ? docmnistKeys : folderKeys;
            keys.merge(record.key(), 1, Integer::sum);
        }
        assertThat(docmnistKeys).hasSize((int) expectedDocMnist);
        assertThat(docmnistKeys.values()).containsOnly(1);
        assertThat(pairs.stream()
                        .filter(r -> r.value().getSource().equals("docmnist"))
                        .map(r -> r.value().getSplit()))
                .containsOnly(Split.VAL);
        // the re-run sent the same 5 keys again: a consumer keyed by pair id sees 5 distinct pairs
        assertThat(folderKeys).hasSize(5);
        assertThat(folderKeys.values()).containsOnly(2);

        List<ConsumerRecord<String, DeadLetter>> dead = readAll(topics.deadLetters(), Codecs.DEAD_LETTER, 8);
        Map<String, String> reasons = new HashMap<>();
        Set<String> stages = new HashSet<>();
        for (ConsumerRecord<String, DeadLetter> record : dead) {
            reasons.put(record.value().getInput(), record.value().getErrorMessage());
            stages.add(record.value().getStage());
            assertThat(record.value().getErrorClass()).isEqualTo("io.villa.producers.ingest.IngestFailure");
        }
        assertThat(dead).hasSize(8);
        assertThat(stages).containsExactly("produce.folder");
        assertThat(reasons).containsOnlyKeys("garbage.png", "lonely.png", "blank.png", "orphan.txt");
        assertThat(reasons.get("garbage.png")).startsWith("UNDECODABLE_IMAGE");
        assertThat(reasons.get("lonely.png")).startsWith("MISSING_FILE").contains("lonely.txt");
        assertThat(reasons.get("blank.png")).startsWith("EMPTY_REPORT");
        assertThat(reasons.get("orphan.txt")).startsWith("MISSING_FILE");
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> readAll(
            String topic, io.villa.schemas.AvroCodec<T> codec, long atLeast) {
        List<ConsumerRecord<String, T>> records = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(
                KAFKA.broker().settings().consumerConfig("it-" + topic),
                new StringDeserializer(),
                new AvroKafkaDeserializer<>(codec))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (records.size() < atLeast || emptyPolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }
}
