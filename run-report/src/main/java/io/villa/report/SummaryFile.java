package io.villa.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Writes and reads summary.json, a pretty-printed {@link RunSummary}.
 *
 * <p>NaN and infinities are not JSON, and Jackson would otherwise write them as the strings "NaN"/"Infinity" that
 * other readers choke on. The rule here:
 * <ul>
 *   <li>a non-finite value inside a figure map (mapping quality, validation, test) or a curve point is <b>dropped</b>:
 *       an absent key or point means "not measured", so readers never meet a null where they expect a number;</li>
 *   <li>a non-finite scalar ({@code wallSeconds}) is written as {@code null} and read back as NaN.</li>
 * </ul>
 * Reading is lenient (NaN tokens, unknown fields from newer writers are accepted) and applies the same rule, so a
 * summary read back is always finite where it matters.
 */
public final class SummaryFile {

    /** The file name the demo and the page agree on. */
    public static final String FILE_NAME = "summary.json";

    private static final Logger LOG = LoggerFactory.getLogger(SummaryFile.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("finite-doubles")
                    .addSerializer(Double.class, new FiniteDoubleSerializer())
                    .addSerializer(double.class, new FiniteDoubleSerializer())
                    .addDeserializer(double.class, new NullAsNaNDeserializer()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SummaryFile() {
    }

    /** Writes {@code summary} to {@code file} (through a temporary file, so a reader never sees half a summary). */
    public static void write(Path file, RunSummary summary) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".summary-", ".json.tmp");
        try {
            Files.writeString(tmp, toJson(summary));
            moveInto(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.info("wrote {}", file);
    }

    /** Replaces {@code target} at once where the file system can, plainly where it cannot. */
    static void moveInto(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static RunSummary read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    public static String toJson(RunSummary summary) throws IOException {
        return MAPPER.writeValueAsString(finite(summary)) + System.lineSeparator();
    }

    public static RunSummary fromJson(String json) throws IOException {
        return finite(MAPPER.readValue(json, RunSummary.class));
    }

    /**
     * The summary with non-finite (or null) figures dropped from its maps and curves, and null collections made empty,
     * insertion order kept. Both files of a run are written from this, so the page and summary.json agree.
     */
    public static RunSummary finite(RunSummary s) {
        RunSummary.MappingSummary m = s.mapping() == null ? null
                : new RunSummary.MappingSummary(nested(s.mapping().quality()), curves(s.mapping().f1Curves()),
                        byType(s.mapping().qualityByType()));
        List<RunSummary.ModelSummary> models = new ArrayList<>();
        if (s.models() != null) {
            for (RunSummary.ModelSummary model : s.models()) {
                if (model != null) {
                    models.add(new RunSummary.ModelSummary(model.mode(), model.modelId(), model.steps(), model.samplesSeen(),
                            model.passes(), model.bestPass(),
                            figures(model.validation()), figures(model.test()), longs(model.evaluatedRegions()), curve(model.lossCurve()),
                            curves(model.retrievalCurves()), model.checkpoint()));
                }
            }
        }
        List<RunSummary.CountCheck> checks = new ArrayList<>();
        if (s.countChecks() != null) {
            s.countChecks().stream().filter(java.util.Objects::nonNull).forEach(checks::add);
        }
        Map<String, Map<String, Long>> splitCounts = new LinkedHashMap<>();
        if (s.splitCounts() != null) {
            s.splitCounts().forEach((k, v) -> splitCounts.put(k, longs(v)));
        }
        return new RunSummary(s.started(), s.wallSeconds(), s.stoppedEarly(),
                s.settings() == null ? Map.of() : new LinkedHashMap<>(s.settings()), longs(s.counts()), s.countsBalance(), checks,
                splitCounts, longs(s.deadLettersByStage()), m, models);
    }

    private static Map<String, Long> longs(Map<String, Long> in) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static Map<String, Double> figures(Map<String, Double> in) {
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

    private static Map<String, Map<String, Double>> nested(Map<String, Map<String, Double>> in) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, figures(v)));
        }
        return out;
    }

    private static Map<String, Map<String, Map<String, Double>>> byType(Map<String, Map<String, Map<String, Double>>> in) {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, nested(v)));
        }
        return out;
    }

    private static List<RunSummary.Point> curve(List<RunSummary.Point> in) {
        List<RunSummary.Point> out = new ArrayList<>();
        if (in != null) {
            for (RunSummary.Point p : in) {
                if (p != null && Double.isFinite(p.value())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static Map<String, List<RunSummary.Point>> curves(Map<String, List<RunSummary.Point>> in) {
        Map<String, List<RunSummary.Point>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, curve(v)));
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
