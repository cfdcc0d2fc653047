package io.villa.flink.join;

import static io.villa.flink.join.FeedFixtures.image;
import static io.villa.flink.join.FeedFixtures.key;
import static io.villa.flink.join.FeedFixtures.record;
import static io.villa.flink.join.FeedFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.ReportStatus;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** The join operator alone, in Flink's keyed operator test harness, with its processing-time clock in the test's hand. */
class StudyJoinTest {

    private static final long TTL = 10_000;
    private KeyedOneInputStreamOperatorTestHarness<String, FeedRecord, KeyedBytes> harness;
    private long offset;

    private KeyedOneInputStreamOperatorTestHarness<String, FeedRecord, KeyedBytes> open(
            JoinConfig config, OperatorSubtaskState restore) throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StudyJoin(config)), r -> r.studyKey, Types.STRING);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, FeedRecord, KeyedBytes> open() throws Exception {
        return open(JoinConfig.builder().setTtl(Duration.ofMillis(TTL)).build(), null);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void send(Object item) throws Exception {
        FeedRecord r = item instanceof io.villa.records.StudyImage i
                ? record(i, offset++)
                : record((io.villa.records.StudyReport) item, offset++);
        harness.processElement(new StreamRecord<>(r));
    }

    private List<ImageReportPair> pairs() {
        return harness.extractOutputValues().stream()
                .map(k -> Codecs.IMAGE_REPORT_PAIR.decode(k.value))
                .toList();
    }

    private List<DeadLetter> deadLetters() {
        var out = harness.getSideOutput(DeadLetterOutput.TAG);
        return out == null
                ? List.of()
                : out.stream()
                        .map(r -> Codecs.DEAD_LETTER.decode(r.getValue().value))
                        .toList();
    }

    private static String id(String study, String instance, int v) {
        return StudyJoin.pairId(key(study), key(instance), v);
    }

    @Test
    void aReportBeforeItsImageAndAnImageBeforeItsReportBothPair() throws Exception {
        open();
        send(report("s1", "m1", ReportStatus.FINAL, "seven red", null));
        send(image("s1", "i1", Split.TRAIN));
        send(image("s2", "i2", Split.VAL));
        assertThat(pairs()).hasSize(1);
        send(report("s2", "m2", ReportStatus.FINAL, "two blue", null));

        List<ImageReportPair> pairs = pairs();
        assertThat(pairs)
                .extracting(p -> p.getPairId().toString())
                .containsExactly(id("s1", "i1", 1), id("s2", "i2", 1));
        ImageReportPair first = pairs.get(0);
        assertThat(first.getPairId().toString()).matches("[0-9a-f]{16}/[0-9a-f]{16}/v1");
        assertThat(first.getSource().toString()).isEqualTo("hospital");
        assertThat(first.getSplit()).isEqualTo(Split.TRAIN);
        assertThat(first.getReport().toString()).isEqualTo("seven red");
        assertThat(first.getRegions()).hasSize(2);
        assertThat(first.getGroundTruth()).hasSize(2);
        assertThat(first.getGroundTruth().get(0).getAttributes().get(0).toString())
                .isEqualTo("seven");
        assertThat(first.getEventTime().toEpochMilli()).isEqualTo(2_000);
        assertThat(pairs.get(1).getSplit()).isEqualTo(Split.VAL);
        assertThat(harness.extractOutputValues().get(0).key)
                .isEqualTo(id("s1", "i1", 1).getBytes(StandardCharsets.UTF_8));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aStudyWithTwoImagesGivesOnePairPerImage() throws Exception {
        open();
        send(image("s1", "frontal", Split.TRAIN));
        send(image("s1", "lateral", Split.TRAIN));
        send(report("s1", "m1", ReportStatus.FINAL, "text", null));
        send(image("s1", "third", Split.TRAIN));
        assertThat(pairs())
                .extracting(p -> p.getPairId().toString())
                .containsExactlyInAnyOrder(id("s1", "frontal", 1), id("s1", "lateral", 1), id("s1", "third", 1));
    }

    @Test
    void aCorrectedReportMakesANewVersionForEveryImageAndALatePreliminaryIsIgnored() throws Exception {
        open();
        send(image("s1", "a", Split.TRAIN));
        send(image("s1", "b", Split.TRAIN));
        send(report("s1", "m1", ReportStatus.PRELIMINARY, "draft", 100L));
        send(report("s1", "m2", ReportStatus.FINAL, "final", 200L));
        send(report("s1", "m3", ReportStatus.CORRECTED, "corrected", 300L));
        send(report("s1", "m4", ReportStatus.PRELIMINARY, "a late draft", 50L)); // lower rank: stale
        send(report("s1", "m5", ReportStatus.CORRECTED, "an older correction", 250L)); // same rank, older: stale
        send(image("s1", "c", Split.TRAIN)); // pairs with the current version

        List<ImageReportPair> pairs = pairs();
        assertThat(pairs)
                .extracting(p -> p.getPairId() + " " + p.getReport())
                .containsExactlyInAnyOrder(
                        id("s1", "a", 1) + " draft",
                        id("s1", "b", 1) + " draft",
                        id("s1", "a", 2) + " final",
                        id("s1", "b", 2) + " final",
                        id("s1", "a", 3) + " corrected",
                        id("s1", "b", 3) + " corrected",
                        id("s1", "c", 3) + " corrected");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aFinalThatRepeatsThePreliminaryWordForWordMakesNoNewVersion() throws Exception {
        open();
        send(image("s1", "a", Split.TRAIN));
        send(report("s1", "m1", ReportStatus.PRELIMINARY, "same", null));
        send(report("s1", "m2", ReportStatus.FINAL, "same", null));
        send(report("s1", "m3", ReportStatus.CORRECTED, "changed", null));
        assertThat(pairs())
                .extracting(p -> p.getPairId().toString())
                .containsExactly(id("s1", "a", 1), id("s1", "a", 2));
    }

    @Test
    void resentImagesAndReportsAreDropped() throws Exception {
        open();
        send(image("s1", "a", Split.TRAIN));
        send(image("s1", "a", Split.TRAIN));
        send(report("s1", "m1", ReportStatus.FINAL, "text", null));
        send(report("s1", "m1", ReportStatus.FINAL, "text", null));
        send(report("s1", "m1", ReportStatus.CORRECTED, "even with other content", null));
        send(image("s1", "a", Split.TRAIN));
        assertThat(pairs()).extracting(p -> p.getPairId().toString()).containsExactly(id("s1", "a", 1));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void orphansGoToTheDeadLetterTopicAtTheirTtlWithoutValuesAndTheStateIsCleared() throws Exception {
        open();
        harness.setProcessingTime(0);
        send(image("lonely", "i1", Split.TRAIN));
        send(image("lonely", "i2", Split.TRAIN));
        send(report("unseen", "m1", ReportStatus.FINAL, "secret text", null));
        send(image("paired", "p", Split.TRAIN));
        send(report("paired", "mp", ReportStatus.FINAL, "text", null));
        harness.setProcessingTime(TTL / 2);
        send(image("late", "l", Split.TRAIN)); // its own TTL runs from now
        harness.setProcessingTime(TTL - 1);
        assertThat(deadLetters()).isEmpty();
        harness.setProcessingTime(TTL);

        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(3);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.getStage().toString()).isEqualTo(StudyJoin.STAGE_ORPHAN);
            assertThat(l.getOriginalValue()).as("no pixels, no report text").isNull();
            assertThat(l.getSourceTopic()).isNotNull();
            assertThat(l.getErrorMessage().toString()).contains("TTL of PT10S").doesNotContain("secret");
        });
        assertThat(letters)
                .filteredOn(l -> l.getErrorMessage().toString().startsWith("orphan image"))
                .hasSize(2)
                .allSatisfy(l -> assertThat(new String(l.getOriginalKey().array(), StandardCharsets.UTF_8))
                        .isEqualTo(key("lonely")));
        assertThat(letters)
                .filteredOn(l -> l.getErrorMessage().toString().startsWith("orphan report"))
                .hasSize(1);
        assertThat(harness.numKeyedStateEntries())
                .as("only the late study still held")
                .isGreaterThan(0);

        harness.setProcessingTime(TTL / 2 + TTL);
        assertThat(deadLetters()).hasSize(4);
        assertThat(harness.numKeyedStateEntries()).as("every study cleared").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // after its TTL a study starts afresh: the report of the lonely study finds no image now
        send(report("lonely", "m9", ReportStatus.FINAL, "too late", null));
        assertThat(pairs()).extracting(p -> p.getPairId().toString()).containsExactly(id("paired", "p", 1));
    }

    @Test
    void aLaterArrivalMovesTheStudysDeadline() throws Exception {
        open();
        harness.setProcessingTime(0);
        send(image("s", "a", Split.TRAIN));
        harness.setProcessingTime(TTL - 1);
        send(image("s", "b", Split.TRAIN));
        harness.setProcessingTime(TTL + 1);
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(2 * TTL);
        assertThat(deadLetters()).hasSize(2);
    }

    @Test
    void imagesOverTheStudyLimitsAreDeadLetters() throws Exception {
        open(
                JoinConfig.builder()
                        .setTtl(Duration.ofMillis(TTL))
                        .optMaxImagesPerStudy(2)
                        .optMaxReportsPerStudy(2)
                        .build(),
                null);
        send(image("s", "a", Split.TRAIN));
        send(image("s", "b", Split.TRAIN));
        send(image("s", "c", Split.TRAIN));
        send(report("s", "m1", ReportStatus.PRELIMINARY, "one", null));
        send(report("s", "m2", ReportStatus.FINAL, "two", null));
        send(report("s", "m3", ReportStatus.CORRECTED, "three", null));
        assertThat(pairs()).hasSize(4);
        assertThat(deadLetters())
                .extracting(l -> l.getStage() + ": " + l.getErrorMessage())
                .containsExactly(
                        "join.limit: study already holds 2 images, the limit (--max-images-per-study)",
                        "join.limit: study already had 2 report messages, the limit (--max-reports-per-study)");
    }

    @Test
    void theStateSizeOfAStudyIsBounded() throws Exception {
        int one = FeedFixtures.encode(image("s", "a", Split.TRAIN)).length;
        open(
                JoinConfig.builder()
                        .setTtl(Duration.ofMillis(TTL))
                        .optMaxStudyBytes(one * 2L + 1)
                        .build(),
                null);
        send(image("s", "a", Split.TRAIN));
        send(image("s", "b", Split.TRAIN));
        send(image("s", "c", Split.TRAIN));
        assertThat(deadLetters())
                .singleElement()
                .satisfies(l -> assertThat(l.getErrorMessage().toString()).contains("--max-study-bytes"));
    }

    @Test
    void theSplitComesFromTheImageElseFromTheStudyKeyTheSameForEveryImageAndVersion() throws Exception {
        open();
        for (int s = 0; s < 200; s++) {
            send(image("study" + s, "x" + s, null));
            send(image("study" + s, "y" + s, null));
            send(report("study" + s, "m" + s, ReportStatus.PRELIMINARY, "p", null));
            send(report("study" + s, "n" + s, ReportStatus.FINAL, "f", null));
        }
        List<ImageReportPair> pairs = pairs();
        assertThat(pairs).hasSize(800);
        var byStudy = pairs.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        p -> p.getPairId().toString().substring(0, 16),
                        java.util.stream.Collectors.mapping(
                                ImageReportPair::getSplit, java.util.stream.Collectors.toSet())));
        assertThat(byStudy.values()).allSatisfy(splits -> assertThat(splits).hasSize(1));
        long val = byStudy.values().stream().filter(s -> s.contains(Split.VAL)).count();
        long test =
                byStudy.values().stream().filter(s -> s.contains(Split.TEST)).count();
        assertThat(val).isBetween(8L, 35L);
        assertThat(test).isBetween(8L, 35L);
        assertThat(SplitAssigner.forStudy(key("study1"), 0.1, 0.1))
                .isEqualTo(SplitAssigner.forStudy(key("study1"), 0.1, 0.1));
        assertThat(SplitAssigner.forStudy(key("study1"), 0, 0)).isEqualTo(Split.TRAIN);
        assertThat(SplitAssigner.forStudy(key("study1"), 0, 1)).isEqualTo(Split.TEST);
    }

    @Test
    void stateAndTimersSurviveASnapshotAndRestore() throws Exception {
        open();
        harness.setProcessingTime(0);
        send(image("s", "a", Split.TRAIN));
        send(report("s", "m1", ReportStatus.FINAL, "final", null));
        send(image("o", "orphan", Split.TRAIN));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        open(JoinConfig.builder().setTtl(Duration.ofMillis(TTL)).build(), snapshot);
        harness.setProcessingTime(1);
        send(report("s", "m1", ReportStatus.FINAL, "final", null)); // a resend: still known
        send(image("s", "a", Split.TRAIN)); // likewise
        send(report("s", "m2", ReportStatus.CORRECTED, "corrected", null)); // version 2, for the restored image
        assertThat(pairs()).extracting(p -> p.getPairId().toString()).containsExactly(id("s", "a", 2));
        harness.setProcessingTime(TTL);
        assertThat(deadLetters())
                .singleElement()
                .satisfies(l -> assertThat(l.getErrorMessage().toString()).startsWith("orphan image"));
    }
}
