package io.villa.flink.join;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.villa.records.Split;

/**
 * The split of a study whose images carry none: from a hash of the study key, so every image of a study, every version
 * of its pairs and every run put the study in the same split (no study on both sides of TRAIN and TEST).
 */
public final class SplitAssigner {

    private SplitAssigner() {
    }

    /** TEST for the first {@code testFraction} of the hash range, VAL for the next {@code valFraction}, else TRAIN. */
    public static Split forStudy(String studyKey, double valFraction, double testFraction) {
        double u = unit(studyKey);
        if (u < testFraction) {
            return Split.TEST;
        }
        return u < testFraction + valFraction ? Split.VAL : Split.TRAIN;
    }

    /** SHA-256 of the key to [0, 1): uniform whatever the key looks like. */
    static double unit(String studyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(studyKey.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
