package io.villa.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON file of one summary type (summary.json, experiment.json): written and read through {@link FiniteJson}'s
 * mapper, with the type's own rule for non-finite figures applied on both ways, and replaced at once on writing.
 *
 * @param <T> the summary record
 */
final class FiniteJsonFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FiniteJsonFile.class);

    private final Class<T> type;
    private final UnaryOperator<T> finite;

    /** @param finite the summary as it is written and read back: non-finite figures dropped, null collections empty */
    FiniteJsonFile(Class<T> type, UnaryOperator<T> finite) {
        this.type = Objects.requireNonNull(type, "type");
        this.finite = Objects.requireNonNull(finite, "finite");
    }

    /** Replaces {@code file} with {@code summary} at once (through a temporary file: a reader never sees half of it). */
    void write(Path file, T summary) throws IOException {
        FiniteJson.writeAtomically(file, toJson(summary));
        LOG.info("wrote {}", file);
    }

    T read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    String toJson(T summary) throws IOException {
        return FiniteJson.MAPPER.writeValueAsString(finite.apply(summary)) + System.lineSeparator();
    }

    T fromJson(String json) throws IOException {
        return finite.apply(FiniteJson.MAPPER.readValue(json, type));
    }
}
