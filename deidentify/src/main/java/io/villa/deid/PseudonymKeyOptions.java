package io.villa.deid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import org.apache.flink.annotation.VisibleForTesting;

import picocli.CommandLine.Option;

/**
 * The site's pseudonym key, the same option on every command that pseudonymises (a picocli mixin). The key comes from
 * {@code --pseudonym-key-file FILE} or, without it, the environment variable {@value #ENVIRONMENT}; there is no
 * default, because a key everyone knows would make the pseudonyms reversible by guessing. The key is never logged and
 * never written to a record.
 *
 * <p>The file (or variable) holds the key as hex (64 or more hex characters: 32 or more bytes) or, when it is not hex,
 * as its UTF-8 bytes; surrounding white space is ignored.
 */
public class PseudonymKeyOptions {

    public static final String ENVIRONMENT = "VILLA_PSEUDONYM_KEY";

    @Option(
            names = "--pseudonym-key-file",
            paramLabel = "FILE",
            description =
                    "the site's secret key for the keyed pseudonyms (HMAC-SHA256) of accession numbers and other ids:"
                            + " hex (64+ characters) or 32+ bytes of text. Without it, the environment variable "
                            + ENVIRONMENT + ".")
    public Path keyFile;

    /** The pseudonyms under the configured key. */
    public Pseudonyms pseudonyms() {
        return pseudonyms(System.getenv());
    }

    /** As {@link #pseudonyms()}, with the environment given. */
    @VisibleForTesting
    public Pseudonyms pseudonyms(Map<String, String> environment) {
        String text;
        String from;
        if (keyFile != null) {
            try {
                text = Files.readString(keyFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "--pseudonym-key-file: cannot read " + keyFile + ": " + e.getMessage(), e);
            }
            from = "--pseudonym-key-file " + keyFile;
        } else {
            text = environment.get(ENVIRONMENT);
            from = "environment variable " + ENVIRONMENT;
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("no pseudonym key: give --pseudonym-key-file FILE or set "
                        + ENVIRONMENT + " (64 random hex characters, e.g. from `openssl rand -hex 32`)");
            }
        }
        try {
            return Pseudonyms.withKey(parseKey(text.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(from + ": " + e.getMessage(), e);
        }
    }

    static byte[] parseKey(String text) {
        if (text.length() % 2 == 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
