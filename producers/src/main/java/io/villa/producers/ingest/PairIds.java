package io.villa.producers.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable pair ids for ingested inputs: a hash of the feed name, the input's relative name and its content, so that
 * re-running the same ingest gives the same keys (and a changed file a new one).
 */
public final class PairIds {

    private PairIds() {}

    public static String of(String source, String relativeName, byte[] imageBytes, String report) {
        MessageDigest digest = sha256();
        update(digest, source.getBytes(StandardCharsets.UTF_8));
        update(digest, relativeName.getBytes(StandardCharsets.UTF_8));
        update(digest, imageBytes);
        update(digest, report.getBytes(StandardCharsets.UTF_8));
        return source + "-" + HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** Length-prefixed, so that ("ab","c") and ("a","bc") differ. */
    private static void update(MessageDigest digest, byte[] part) {
        digest.update(new byte[] {
            (byte) (part.length >>> 24), (byte) (part.length >>> 16), (byte) (part.length >>> 8), (byte) part.length
        });
        digest.update(part);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
