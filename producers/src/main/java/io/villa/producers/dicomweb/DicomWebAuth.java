package io.villa.producers.dicomweb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The Authorization header for a PACS that needs one: a bearer token or HTTP basic credentials, each read from a
 * file so that secrets stay off command lines and out of process lists. The header is never logged.
 */
public final class DicomWebAuth {

    private static final DicomWebAuth NONE = new DicomWebAuth(null);

    private final String header;

    private DicomWebAuth(String header) {
        this.header = header;
    }

    public static DicomWebAuth none() {
        return NONE;
    }

    /** A bearer token: the file's content, stripped. */
    public static DicomWebAuth bearerTokenFile(Path file) {
        String token = read(file, "bearer token file");
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("bearer token file " + file + ": empty, or not one line of visible ASCII");
        }
        return new DicomWebAuth("Bearer " + token);
    }

    /** HTTP basic: the file holds {@code user:password} on one line. */
    public static DicomWebAuth basicAuthFile(Path file) {
        String credentials = read(file, "basic auth file");
        if (credentials.indexOf(':') <= 0 || credentials.contains("\n")) {
            throw new IllegalArgumentException("basic auth file " + file + ": expected one line user:password");
        }
        return new DicomWebAuth("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    Optional<String> header() {
        return Optional.ofNullable(header);
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return header == null ? "DicomWebAuth[none]" : "DicomWebAuth[hidden]";
    }
}
