package io.villa.flink.faults;

import java.nio.charset.StandardCharsets;

import io.villa.records.ImageReportPair;
import io.villa.schemas.Codecs;

/**
 * One record the battery sends: its Kafka key and value, what the job must do with it, and the pair id its
 * outputs would carry (null when the bytes do not decode, so no output can belong to it).
 *
 * @param category  the battery category ("a" .. "h", or {@link #VALID})
 * @param label     what kind of record this is, for the table (never its content)
 * @param regions   how many regions it would be cut into (boxes, or the job's 3x3 grid without boxes); -1 unknown
 */
record BatteryRecord(String category, String label, String key, byte[] value, Expectation expectation, String pairId, int regions) {

    static final String VALID = "valid";
    /** The job's default grid (3x3) stands in for records without boxes. */
    static final int GRID_REGIONS = 9;

    /** A valid pair, sent as the job's producers send it. */
    static BatteryRecord valid(ImageReportPair pair) {
        return new BatteryRecord(VALID, "valid DocMNIST pair", pair.getPairId(), Codecs.IMAGE_REPORT_PAIR.encode(pair),
                Expectation.DECOMPOSED, pair.getPairId(), regionsOf(pair));
    }

    /** A well-formed record the job must refuse (too big, too many boxes, ...). */
    static BatteryRecord hostile(String category, String label, ImageReportPair pair) {
        return new BatteryRecord(category, label, pair.getPairId(), Codecs.IMAGE_REPORT_PAIR.encode(pair),
                Expectation.DEAD_LETTERED, pair.getPairId(), regionsOf(pair));
    }

    /**
     * Bytes the job must refuse; {@code intendedPairId} is the id they were crafted around (outputs under it would
     * mean the job accepted them).
     */
    static BatteryRecord hostileBytes(String category, String label, String key, byte[] value, String intendedPairId) {
        return new BatteryRecord(category, label, key, value, Expectation.DEAD_LETTERED, intendedPairId, -1);
    }

    /** A mutated record: decoded here (with the job's own codec) to learn the pair id it would be decomposed under. */
    static BatteryRecord mutation(String category, String label, String key, byte[] value) {
        ImageReportPair decoded = tryDecode(value);
        return new BatteryRecord(category, label, key, value, Expectation.EITHER,
                decoded == null ? null : decoded.getPairId(), decoded == null ? -1 : regionsOf(decoded));
    }

    /** The record the job's codec reads from {@code value}, or null when it reads none. */
    static ImageReportPair tryDecode(byte[] value) {
        try {
            return Codecs.IMAGE_REPORT_PAIR.decode(value);
        } catch (RuntimeException | OutOfMemoryError e) {
            // a mutated length prefix may ask for an impossible array: that is the job's problem to survive, not ours
            return null;
        }
    }

    static int regionsOf(ImageReportPair pair) {
        return pair.getRegions().isEmpty() ? GRID_REGIONS : pair.getRegions().size();
    }

    byte[] keyBytes() {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    int size() {
        return value == null ? 0 : value.length;
    }
}
