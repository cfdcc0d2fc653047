package io.villa.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final FiniteJsonFile<RunSummary> FILE = new FiniteJsonFile<>(RunSummary.class, SummaryFile::finite);

    private SummaryFile() {}

    /** Writes {@code summary} to {@code file} (through a temporary file, so a reader never sees half a summary). */
    public static void write(Path file, RunSummary summary) throws IOException {
        FILE.write(file, summary);
    }

    public static RunSummary read(Path file) throws IOException {
        return FILE.read(file);
    }

    public static String toJson(RunSummary summary) throws IOException {
        return FILE.toJson(summary);
    }

    public static RunSummary fromJson(String json) throws IOException {
        return FILE.fromJson(json);
    }

    /**
     * The summary with non-finite (or null) figures dropped from its maps and curves, and null collections made empty,
     * insertion order kept. Both files of a run are written from this, so the page and summary.json agree.
     */
    public static RunSummary finite(RunSummary s) {
        RunSummary.MappingSummary m = s.mapping() == null
                ? null
                : new RunSummary.MappingSummary(
                        FiniteJson.nested(s.mapping().quality()),
                        curves(s.mapping().f1Curves()),
                        byType(s.mapping().qualityByType()));
        List<RunSummary.ModelSummary> models = new ArrayList<>();
        if (s.models() != null) {
            for (RunSummary.ModelSummary model : s.models()) {
                if (model != null) {
                    models.add(new RunSummary.ModelSummary(
                            model.mode(),
                            model.modelId(),
                            model.steps(),
                            model.samplesSeen(),
                            model.passes(),
                            model.bestPass(),
                            FiniteJson.figures(model.validation()),
                            FiniteJson.figures(model.test()),
                            longs(model.evaluatedRegions()),
                            curve(model.lossCurve()),
                            curves(model.retrievalCurves()),
                            model.checkpoint()));
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
        return new RunSummary(
                s.started(),
                s.wallSeconds(),
                s.stoppedEarly(),
                s.settings() == null ? Map.of() : new LinkedHashMap<>(s.settings()),
                longs(s.counts()),
                s.countsBalance(),
                checks,
                splitCounts,
                longs(s.deadLettersByStage()),
                m,
                models);
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

    private static Map<String, Map<String, Map<String, Double>>> byType(
            Map<String, Map<String, Map<String, Double>>> in) {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, FiniteJson.nested(v)));
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
}
