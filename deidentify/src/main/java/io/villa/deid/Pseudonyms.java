package io.villa.deid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA256 of an identifier under the site's secret key. The same identifier gives the same
 * pseudonym on every producer of the site (so images and reports still join on the accession number), and without
 * the key a pseudonym cannot be turned back into the identifier or checked against a guess.
 *
 * <p>Each pseudonym is bound to a kind (accession, instance, message, ...) so that equal strings of different kinds
 * do not share a pseudonym. Thread-safe. The key never leaves this object: {@link #toString()} does not show it.
 */
public final class Pseudonyms {

    /** Shortest key accepted: HMAC-SHA256's block of security, 32 bytes. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private Pseudonyms(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** @throws IllegalArgumentException when the key is shorter than {@link #MIN_KEY_BYTES} */
    public static Pseudonyms withKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("pseudonym key: " + key.length + " bytes, at least " + MIN_KEY_BYTES
                    + " needed (e.g. 64 random hex characters)");
        }
        return new Pseudonyms(key.clone());
    }

    /**
     * The pseudonym of {@code value} as an identifier of the given kind: 64 lower-case hex characters.
     *
     * @param kind  what the value identifies, e.g. {@code "accession"}; part of the HMAC input
     * @param value the identifier as it came in (trimmed by the caller where the source pads it)
     */
    public String of(String kind, String value) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(kind.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0); // separates kind from value: ("ab","c") and ("a","bc") differ
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonyms[HMAC-SHA256, key hidden]";
    }
}
