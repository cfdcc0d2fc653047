package io.villa.cli.demo;

import static io.villa.cli.demo.PipelineRecords.notSent;
import static io.villa.cli.demo.PipelineRecords.pair;
import static io.villa.cli.demo.PipelineRecords.region;
import static io.villa.cli.demo.PipelineRecords.rejected;
import static io.villa.cli.demo.PipelineRecords.wholeImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.Split;

/**
 * Counting what the pipeline committed, against a real broker, with records as the producer and the job's
 * exactly-once sinks write them: committed transactions count, aborted and open ones do not, dead letters
 * count by stage and, where they reject a produced pair, as that pair's outcome.
 */
class TopicCounterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static TopicNames topics(String prefix) {
        TopicNames t =
                new TopicNames(prefix + ".pairs", prefix + ".regions", prefix + ".dead-letters", prefix + ".events");
        KAFKA.broker().createTopics(t, 2);
        return t;
    }

    @Test
    void countsCommittedRecordsPairByPairAndNothingOfAbortedTransactions() throws Exception {
        TopicNames t = topics("ledger");
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                        PipelineRecords.producer(KAFKA.broker().settings());
                KafkaProducer<byte[], byte[]> job =
                        PipelineRecords.transactional(KAFKA.broker().settings(), "ledger-job");
                TopicCounter counter = new TopicCounter(KAFKA.broker().settings(), t, events::add)) {
            producer.send(pair(t.imageReportPairs(), "p0", Split.TRAIN)).get();
            producer.send(pair(t.imageReportPairs(), "p1", Split.VAL)).get();
            producer.send(pair(t.imageReportPairs(), "p2", Split.VAL)).get();
            producer.send(pair(t.imageReportPairs(), "p3", Split.TEST)).get();
            producer.send(pair(t.imageReportPairs(), "p4", Split.TEST)).get();
            producer.send(pair(t.imageReportPairs(), "p5", Split.TRAIN)).get();
            long badOffset = producer.send(
                            new ProducerRecord<>(t.imageReportPairs(), 0, PipelineRecords.utf8("bad"), new byte[] {9}))
                    .get()
                    .offset();
            producer.send(notSent(t.deadLetters(), "demo.produce", t.imageReportPairs(), "never-sent"))
                    .get();
            producer.send(new ProducerRecord<>(t.trainerEvents(), new byte[] {1}))
                    .get();

            job.beginTransaction();
            job.send(wholeImage(t.regionAttributePairs(), "p0", Split.TRAIN));
            job.send(region(t.regionAttributePairs(), "p0", 0, Split.TRAIN, List.of("round")));
            job.send(wholeImage(t.regionAttributePairs(), "p1", Split.VAL));
            job.send(region(t.regionAttributePairs(), "p1", 0, Split.VAL, List.of("round")));
            job.send(region(t.regionAttributePairs(), "p1", 1, Split.VAL, List.of()));
            job.send(wholeImage(t.regionAttributePairs(), "p2", Split.VAL));
            job.send(region(t.regionAttributePairs(), "p2", 2, Split.VAL, null));
            job.send(wholeImage(t.regionAttributePairs(), "p3", Split.TEST));
            job.send(region(t.regionAttributePairs(), "p3", 0, Split.TEST, List.of("rectangle")));
            job.send(rejected(t.deadLetters(), "decompose.decode", t.imageReportPairs(), badOffset, "bad"));
            job.send(rejected(t.deadLetters(), "decompose.warm-up", t.imageReportPairs(), 4, "p4"));
            job.commitTransaction();

            job.beginTransaction(); // a failed checkpoint: none of this was committed
            job.send(wholeImage(t.regionAttributePairs(), "p5", Split.TRAIN));
            job.send(region(t.regionAttributePairs(), "p5", 0, Split.TRAIN, List.of("round")));
            job.send(wholeImage(t.regionAttributePairs(), "p4", Split.TEST));
            job.send(rejected(t.deadLetters(), "decompose.validate", t.imageReportPairs(), 5, "p5"));
            job.flush();
            job.abortTransaction();

            assertThat(counter.readToEnd(TIMEOUT)).isTrue();
            PipelineCounts c = counter.counts();

            assertThat(c.pairs())
                    .as("p5's outcome was aborted: unaccounted")
                    .isEqualTo(new PipelineCounts.Pairs(7, 4, 2, 1, 0));
            assertThat(c.pairs().balanced()).isFalse();
            assertThat(c.deadLetters())
                    .as("the producer's dead letter counts, but not as a produced pair's outcome")
                    .isEqualTo(3);
            assertThat(c.deadLettersByStage())
                    .as("in stage order")
                    .containsExactly(
                            java.util.Map.entry("decompose.decode", 1L),
                            java.util.Map.entry("decompose.warm-up", 1L),
                            java.util.Map.entry("demo.produce", 1L));
            assertThat(c.regionRecords()).isEqualTo(5);
            assertThat(c.split("VAL"))
                    .isEqualTo(new PipelineCounts.SplitCounts(new PipelineCounts.Pairs(2, 2, 0, 0, 0), 3, 1));
            assertThat(c.split("TEST"))
                    .isEqualTo(new PipelineCounts.SplitCounts(new PipelineCounts.Pairs(2, 1, 1, 0, 0), 1, 1));
            assertThat(c.split("TRAIN").pairs()).isEqualTo(new PipelineCounts.Pairs(2, 1, 0, 1, 0));
            assertThat(c.split(PairLedger.UNKNOWN_SPLIT).pairs())
                    .as("the unreadable pair, dead-lettered")
                    .isEqualTo(new PipelineCounts.Pairs(1, 0, 1, 0, 0));
            assertThat(c.readToEnd()).isTrue();
            assertThat(events).as("trainer events are handed on, undecoded").hasSize(1);

            // the job's next checkpoint: read on from where the count stopped, nothing counted twice
            job.beginTransaction();
            job.send(wholeImage(t.regionAttributePairs(), "p5", Split.TRAIN));
            job.send(rejected(t.deadLetters(), "decompose.validate", t.imageReportPairs(), 0, "p0"));
            job.commitTransaction();
            assertThat(counter.readToEnd(TIMEOUT)).isTrue();

            PipelineCounts after = counter.counts();
            assertThat(after.pairs())
                    .as("every pair has an outcome now, but p0 has two")
                    .isEqualTo(new PipelineCounts.Pairs(7, 5, 3, 0, 1));
            assertThat(after.pairs().balanced()).isFalse();
            assertThat(after.regionRecords()).isEqualTo(5);
        }
    }

    @Test
    void aTransactionStillOpenIsNotCountedUntilItCommits() throws Exception {
        TopicNames t = topics("open");
        try (KafkaProducer<byte[], byte[]> producer =
                        PipelineRecords.producer(KAFKA.broker().settings());
                KafkaProducer<byte[], byte[]> job =
                        PipelineRecords.transactional(KAFKA.broker().settings(), "open-job");
                TopicCounter counter = new TopicCounter(KAFKA.broker().settings(), t, r -> {})) {
            producer.send(pair(t.imageReportPairs(), "q0", Split.TEST)).get();
            job.beginTransaction();
            job.send(wholeImage(t.regionAttributePairs(), "q0", Split.TEST));
            job.send(region(t.regionAttributePairs(), "q0", 0, Split.TEST, List.of("round")));
            job.flush();

            assertThat(counter.readToEnd(TIMEOUT))
                    .as("everything committed so far was read")
                    .isTrue();
            assertThat(counter.counts().pairs()).isEqualTo(new PipelineCounts.Pairs(1, 0, 0, 1, 0));
            assertThat(counter.counts().regionRecords()).isZero();

            job.commitTransaction();
            assertThat(counter.readToEnd(TIMEOUT)).isTrue();
            assertThat(counter.counts().pairs()).isEqualTo(new PipelineCounts.Pairs(1, 1, 0, 0, 0));
            assertThat(counter.counts().pairs().balanced()).isTrue();
            assertThat(counter.counts().split("TEST").evaluableRegions()).isEqualTo(1);
        }
    }
}
