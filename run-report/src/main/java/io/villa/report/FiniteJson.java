package io.villa.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * What summary.json and experiment.json share: one mapper that writes standard JSON (a non-finite scalar as null,
 * read back as NaN), the dropping of non-finite figures from maps, and atomic replacement of a file.
 * See {@link SummaryFile} for the rule.
 */
final class FiniteJson {

    /** Pretty-printed, strict on writing, lenient on reading (NaN tokens, unknown fields from newer writers). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("finite-doubles")
                    .addSerializer(Double.class, new FiniteDoubleSerializer())
                    .addSerializer(double.class, new FiniteDoubleSerializer())
                    .addDeserializer(double.class, new NullAsNaNDeserializer()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private FiniteJson() {
    }

    /** Writes {@code text} to {@code file} through a temporary file beside it, so a reader never sees half of it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
        try {
            Files.writeString(tmp, text);
            moveInto(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} at once where the file system can, plainly where it cannot. */
    static void moveInto(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The map without null or non-finite figures (absent means "not measured"), order kept; null gives empty. */
    static Map<String, Double> figures(Map<String, Double> in) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** {@link #figures} one level down. */
    static Map<String, Map<String, Double>> nested(Map<String, Map<String, Double>> in) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, figures(v)));
        }
        return out;
    }

    /** JSON has no NaN: write null instead of Jackson's default string "NaN". */
    private static final class FiniteDoubleSerializer extends StdSerializer<Double> {
        FiniteDoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** The reverse for primitive doubles: null (or absent) is NaN, not Jackson's default 0.0. */
    private static final class NullAsNaNDeserializer extends StdDeserializer<Double> {
        NullAsNaNDeserializer() {
            super(double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return p.getValueAsDouble(Double.NaN);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
