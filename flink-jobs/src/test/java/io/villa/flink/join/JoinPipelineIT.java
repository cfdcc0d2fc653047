package io.villa.flink.join;

import static io.villa.flink.join.FeedFixtures.image;
import static io.villa.flink.join.FeedFixtures.key;
import static io.villa.flink.join.FeedFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.operators.FailureInjection;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.ReportStatus;
import io.villa.records.Split;

/**
 * The join job in a Flink MiniCluster on the embedded broker: images and reports in any order, two images per study,
 * corrected reports, resends, orphans at a short TTL, broken records, and a failure injected mid-stream that the job
 * restarts from its last checkpoint; read back with read_committed consumers, every pair exactly once by pair id.
 */
class JoinPipelineIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int TTL_SECONDS = 8;

    @Test
    void everyPairExactlyOnceThroughCorrectionsResendsOrphansAndARestartFromACheckpoint(@TempDir Path checkpoints)
            throws Exception {
        FailureInjection.reset();
        JoinHarness job = new JoinHarness(KAFKA.broker(), "join", 2);
        Set<String> expected = new HashSet<>();

        // phase 1: 10 studies of two images each with a FINAL report; 4 of them are corrected in phase 2
        List<Object> first = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            first.add(report("a" + s, "a-final" + s, ReportStatus.FINAL, "final " + s, 100L));
            first.add(image("a" + s, "a-front" + s, Split.TRAIN));
            first.add(image("a" + s, "a-side" + s, Split.TRAIN));
            expected.add(StudyJoin.pairId(key("a" + s), key("a-front" + s), 1));
            expected.add(StudyJoin.pairId(key("a" + s), key("a-side" + s), 1));
        }
        first.add(
                new JoinHarness.Raw(job.images, key("broken-image"), "not a record".getBytes(StandardCharsets.UTF_8)));
        int phase1 = expected.size();
        // the failure comes in phase 2, after a completed checkpoint
        // on RocksDB, as a live feed runs: every state access goes through the serializers, the restore through
        // incremental checkpoints
        JobClient client = job.start(job.args(
                checkpoints,
                "--ttl",
                TTL_SECONDS + "s",
                "--restart-attempts",
                "3",
                "--state-backend",
                "rocksdb",
                "--inject-failure-after",
                String.valueOf(phase1 + 6)));
        try {
            job.produce(first);
            JoinHarness.await(() -> job.pairs().size() >= phase1, "phase 1 pairs committed");
            assertThat(FailureInjection.fired()).isFalse();

            List<Object> second = new ArrayList<>();
            // corrections: version 2 for both images of 4 studies
            for (int s = 0; s < 4; s++) {
                second.add(report("a" + s, "a-corrected" + s, ReportStatus.CORRECTED, "corrected " + s, 200L));
                expected.add(StudyJoin.pairId(key("a" + s), key("a-front" + s), 2));
                expected.add(StudyJoin.pairId(key("a" + s), key("a-side" + s), 2));
            }
            // resends of phase 1 (an image, a report): dropped
            second.add(image("a5", "a-front5", Split.TRAIN));
            second.add(report("a6", "a-final6", ReportStatus.FINAL, "final 6", 100L));
            // reports before their images, and images before their reports
            for (int s = 0; s < 10; s++) {
                second.add(report("b" + s, "b-m" + s, ReportStatus.PRELIMINARY, "prelim " + s, null));
                second.add(image("c" + s, "c-i" + s, null));
                expected.add(StudyJoin.pairId(key("b" + s), key("b-i" + s), 1));
                expected.add(StudyJoin.pairId(key("c" + s), key("c-i" + s), 1));
            }
            // orphans: three images without a report (one study), two reports without an image
            second.add(image("orphan-images", "o1", Split.TRAIN));
            second.add(image("orphan-images", "o2", Split.TRAIN));
            second.add(image("orphan-images", "o3", Split.TRAIN));
            second.add(report("orphan-report1", "or1", ReportStatus.FINAL, "alone", null));
            second.add(report("orphan-report2", "or2", ReportStatus.FINAL, "alone", null));
            second.add(new JoinHarness.Raw(job.reports, "ACC-0001234", new byte[] {1, 2, 3}));
            job.produce(second);
            Thread.sleep(1000);
            List<Object> third = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                third.add(image("b" + s, "b-i" + s, Split.VAL));
                third.add(report("c" + s, "c-m" + s, ReportStatus.FINAL, "final " + s, null));
            }
            job.produce(third);

            JoinHarness.await(
                    () -> job.pairs().size() >= expected.size()
                            && job.deadLetters().size() >= 7,
                    "all pairs and dead letters committed");
            Thread.sleep(2000); // anything extra would be committed by now
            assertThat(FailureInjection.fired())
                    .as("the injected failure happened")
                    .isTrue();

            List<ImageReportPair> pairs = job.pairs();
            Map<String, Long> byId = pairs.stream()
                    .collect(Collectors.groupingBy(p -> p.getPairId().toString(), Collectors.counting()));
            assertThat(byId.keySet()).as("every pair, nothing else").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(byId.values()).as("each exactly once").containsOnly(1L);
            Map<String, ImageReportPair> pair =
                    pairs.stream().collect(Collectors.toMap(p -> p.getPairId().toString(), Function.identity()));
            assertThat(pair.get(StudyJoin.pairId(key("a0"), key("a-front0"), 2))
                            .getReport()
                            .toString())
                    .isEqualTo("corrected 0");
            assertThat(pair.get(StudyJoin.pairId(key("a0"), key("a-front0"), 1))
                            .getReport()
                            .toString())
                    .isEqualTo("final 0");
            assertThat(pair.get(StudyJoin.pairId(key("b1"), key("b-i1"), 1)).getSplit())
                    .isEqualTo(Split.VAL);
            assertThat(pairs)
                    .allSatisfy(p -> assertThat(p.getSource().toString()).isEqualTo("hospital"));

            List<DeadLetter> letters = job.deadLetters();
            Map<String, Long> byStage = letters.stream()
                    .collect(Collectors.groupingBy(l -> l.getStage().toString(), Collectors.counting()));
            assertThat(byStage).containsExactlyInAnyOrderEntriesOf(Map.of("join.decode", 2L, "join.orphan", 5L));
            assertThat(letters).allSatisfy(l -> assertThat(l.getOriginalValue()).isNull());
            assertThat(letters)
                    .filteredOn(l -> l.getSourceTopic().toString().equals(job.reports)
                            && l.getStage().toString().equals("join.decode"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.getOriginalKey())
                            .as("not a pseudonym: not kept")
                            .isNull());
            assertThat(letters)
                    .filteredOn(l -> l.getSourceTopic().toString().equals(job.images)
                            && l.getStage().toString().equals("join.decode"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.getOriginalKey())
                            .as("a pseudonym: kept")
                            .isEqualTo(
                                    java.nio.ByteBuffer.wrap(key("broken-image").getBytes(StandardCharsets.US_ASCII))));
            assertThat(letters.stream()
                            .map(l -> l.getSourceTopic() + "@" + l.getSourceOffset())
                            .distinct()
                            .count())
                    .as("one letter per record, despite the replay")
                    .isEqualTo(letters.size());
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void aBoundedRunJoinsWhatIsInTheTopicsAndEndsWithoutOrphanLetters(@TempDir Path checkpoints) throws Exception {
        JoinHarness job = new JoinHarness(KAFKA.broker(), "bounded", 1);
        List<Object> items = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            items.add(image("s" + s, "i" + s, null));
            items.add(report("s" + s, "m" + s, ReportStatus.FINAL, "text", null));
        }
        items.add(image("waiting", "w", null)); // its report has not come yet when the run ends
        job.produce(items);
        job.run(job.args(checkpoints, "--bounded", "--ttl", "1h"));
        assertThat(job.pairs()).hasSize(20);
        assertThat(job.deadLetters())
                .as("pending TTL timers do not fire at the end of a bounded run")
                .isEmpty();
    }
}
