package io.villa.flink.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.villa.kafka.DeadLetters;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** The battery's accounting must catch each way the job could get a record wrong; without a broker or a job. */
class LedgerTest {

    private static final String IN = "in";

    private final Ledger ledger = new Ledger(IN);
    private final BatteryRecord valid = record("valid", "v-1", Expectation.DECOMPOSED);
    private final BatteryRecord hostile = record("a", "a-1", Expectation.DEAD_LETTERED);
    private final BatteryRecord mutation = record("h", "h-1", Expectation.EITHER);

    LedgerTest() {
        ledger.sent(0, valid);
        ledger.sent(1, hostile);
        ledger.sent(2, mutation);
    }

    @Test
    void eachRecordOnceAsExpectedIsNoFailure() {
        ledger.accountDeadLetters(List.of(deadLetter(0, 1, hostile, "too many boxes")));
        ledger.accountRegions(List.of(output(0, "v-1", -1), output(1, "v-1", 0), output(2, "v-1", 3), output(3, "h-1", -1)));

        assertThat(ledger.failures()).isEmpty();
        Ledger.Tally t = Ledger.tally(ledger.entries());
        assertThat(new int[] {t.sent, t.deadLettered, t.decomposed, t.lost, t.duplicated, t.wrongOutcome})
                .containsExactly(3, 1, 2, 0, 0, 0);
    }

    @Test
    void nothingOutIsLost() {
        ledger.accountDeadLetters(List.of());
        ledger.accountRegions(List.of(output(0, "v-1", -1)));

        assertThat(Ledger.tally(ledger.entries()).lost).isEqualTo(2);
        assertThat(ledger.failures()).hasSize(2).allSatisfy(f -> assertThat(f).contains("lost"));
    }

    @Test
    void twiceOrBothIsDuplicated() {
        ledger.accountDeadLetters(List.of(deadLetter(0, 1, hostile, "x"), deadLetter(1, 1, hostile, "x"), deadLetter(2, 2, mutation, "x")));
        ledger.accountRegions(List.of(output(0, "v-1", -1), output(1, "v-1", 2), output(2, "v-1", 2), output(3, "h-1", -1)));

        // the valid pair: region 2 twice; the hostile one: two dead letters; the mutation: dead letter and output
        assertThat(Ledger.tally(ledger.entries()).duplicated).isEqualTo(3);
    }

    @Test
    void theOtherOutcomeIsWrongForValidAndHostileButNotForMutations() {
        ledger.accountDeadLetters(List.of(deadLetter(0, 0, valid, "refused"), deadLetter(1, 2, mutation, "refused")));
        ledger.accountRegions(List.of(output(0, "a-1", -1)));

        assertThat(Ledger.tally(ledger.entries()).wrongOutcome).isEqualTo(2);
    }

    @Test
    void outputsOfNoRecordSentAndMalformedDeadLettersAreFailures() {
        ConsumerRecord<byte[], byte[]> noReason = deadLetter(0, 1, hostile, " ");
        ConsumerRecord<byte[], byte[]> otherOffset = deadLetter(1, 7, hostile, "x");
        ledger.accountDeadLetters(List.of(noReason, otherOffset));
        ledger.accountRegions(List.of(output(0, "v-1", -1), output(1, "someone-else", -1), output(2, "h-1", -1),
                output(3, "h-1", 9)));

        assertThat(ledger.unaccounted()).hasSize(2);
        assertThat(ledger.failures()).anySatisfy(f -> assertThat(f).contains("without a reason"))
                .anySatisfy(f -> assertThat(f).contains("region index 9 outside its 9 regions"));
    }

    @Test
    void aDeadLetterMustCarryTheRecordSent() {
        ConsumerRecord<byte[], byte[]> letter = deadLetter(0, 1, record("a", "a-1", Expectation.DEAD_LETTERED, new byte[] {1, 2}), "x");
        ledger.accountDeadLetters(List.of(letter));

        assertThat(ledger.failures()).anySatisfy(f -> assertThat(f).contains("originalValue is not the record sent"));
    }

    private static BatteryRecord record(String category, String id, Expectation expectation) {
        return record(category, id, expectation, id.getBytes(StandardCharsets.UTF_8));
    }

    private static BatteryRecord record(String category, String id, Expectation expectation, byte[] value) {
        return new BatteryRecord(category, "test record", id, value, expectation, id, BatteryRecord.GRID_REGIONS);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(long at, long sourceOffset, BatteryRecord r, String reason) {
        byte[] value = Codecs.DEAD_LETTER.encode(DeadLetters.forRecord("test", IN, 0, sourceOffset, r.keyBytes(),
                r.value(), new IllegalArgumentException(reason)));
        return new ConsumerRecord<>("dead-letters", 0, at, r.keyBytes(), value);
    }

    private static ConsumerRecord<byte[], byte[]> output(long at, String pairId, int regionIndex) {
        RegionAttributePair out = RegionAttributePair.newBuilder()
                .setPairId(pairId).setRegionIndex(regionIndex).setWholeImage(regionIndex < 0)
                .setBox(new Box(0, 0, 28, 28))
                .setRegionImage(new Image(ByteBuffer.wrap(new byte[] {0}), ImageFormat.PNG, 28, 28))
                .setAttributes(List.of()).setText("").setScores(Map.of()).setModelVersion(1).setSplit(Split.TRAIN)
                .setGroundTruth(null).setEventTime(Instant.EPOCH).build();
        return new ConsumerRecord<>("regions", 0, at, pairId.getBytes(StandardCharsets.UTF_8), Codecs.REGION_ATTRIBUTE_PAIR.encode(out));
    }
}
