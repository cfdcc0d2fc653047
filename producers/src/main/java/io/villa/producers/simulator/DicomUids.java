package io.villa.producers.simulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Valid DICOM UIDs without a registered root: {@code 2.25.} followed by a 128-bit number as decimal (DICOM PS3.5
 * B.2, UUID-derived UIDs), at most 44 characters. Derived by hashing, so the same study of the same seed always has
 * the same UIDs (a rerun resends the same instances instead of inventing new ones).
 */
final class DicomUids {

    private DicomUids() {
    }

    /** The UID named by these parts (e.g. seed, split, index, "study"). */
    static String of(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            byte[] uuid = Arrays.copyOf(sha.digest(), 16);
            uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x80); // version 8 (custom) and the RFC 4122 variant, as a UUID would
            uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
            return "2.25." + new BigInteger(1, uuid);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** True for a syntactically valid UID: digits and dots, no empty or zero-led component, at most 64 characters. */
    static boolean isValid(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > 64) {
            return false;
        }
        for (String component : uid.split("\\.", -1)) {
            if (component.isEmpty() || !component.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (component.length() > 1 && component.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }
}
