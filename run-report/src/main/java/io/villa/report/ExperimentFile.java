package io.villa.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.villa.report.ExperimentSummary.Cell;
import io.villa.report.ExperimentSummary.ModeResult;

/**
 * Writes and reads experiment.json, a pretty-printed {@link ExperimentSummary}, with {@link SummaryFile}'s rule for
 * numbers that are not finite: dropped from a cell's figure maps (mapping, per-type mapping, test), written as null
 * where they are a record's own component (a {@link ExperimentSummary.Stat}'s mean, a shape's fall) and read back as NaN.
 *
 * <p>The command rewrites the file after every cell, so a run that is cut short can resume from its cells; hence the
 * write goes through a temporary file and a move, and a reader never sees half of it.
 */
public final class ExperimentFile {

    /** The file name the command and the page agree on. */
    public static final String FILE_NAME = "experiment.json";

    private static final FiniteJsonFile<ExperimentSummary> FILE =
            new FiniteJsonFile<>(ExperimentSummary.class, ExperimentFile::finite);

    private ExperimentFile() {}

    /** Replaces {@code file} with {@code summary} at once. */
    public static void write(Path file, ExperimentSummary summary) throws IOException {
        FILE.write(file, summary);
    }

    public static ExperimentSummary read(Path file) throws IOException {
        return FILE.read(file);
    }

    public static String toJson(ExperimentSummary summary) throws IOException {
        return FILE.toJson(summary);
    }

    public static ExperimentSummary fromJson(String json) throws IOException {
        return FILE.fromJson(json);
    }

    /**
     * The summary with non-finite (or null) figures dropped from the cells' maps, null collections made empty and a
     * missing paper filled in, order kept. Both files are written from this, so the page and experiment.json agree.
     */
    public static ExperimentSummary finite(ExperimentSummary s) {
        List<Cell> cells = new ArrayList<>();
        for (Cell c : s.cells() == null ? List.<Cell>of() : s.cells()) {
            if (c != null) {
                cells.add(new Cell(
                        c.targetComplexity(),
                        c.seed(),
                        c.averageComplexity(),
                        c.trainImages(),
                        c.wallSeconds(),
                        c.runDir(),
                        FiniteJson.figures(c.mapping()),
                        FiniteJson.nested(c.mappingByType()),
                        modes(c.modes())));
            }
        }
        ExperimentSummary.Shape shape = s.shape() == null ? null : notesNotNull(s.shape());
        return new ExperimentSummary(
                s.started(),
                s.wallSeconds(),
                s.stoppedEarly(),
                s.settings() == null ? Map.of() : new LinkedHashMap<>(s.settings()),
                cells,
                rows(s.rows()),
                shape,
                s.paper() == null ? ExperimentSummary.Paper.figures() : s.paper());
    }

    private static List<ExperimentSummary.Row> rows(List<ExperimentSummary.Row> in) {
        List<ExperimentSummary.Row> out = new ArrayList<>();
        for (ExperimentSummary.Row r : in == null ? List.<ExperimentSummary.Row>of() : in) {
            if (r != null) {
                out.add(new ExperimentSummary.Row(
                        r.targetComplexity(),
                        r.seeds(),
                        r.averageComplexity(),
                        r.mapping() == null ? Map.of() : r.mapping(),
                        r.modes() == null ? Map.of() : r.modes()));
            }
        }
        return out;
    }

    private static Map<String, ModeResult> modes(Map<String, ModeResult> in) {
        Map<String, ModeResult> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((mode, r) -> {
                if (r != null) {
                    out.put(mode, new ModeResult(r.steps(), r.passes(), r.bestPass(), FiniteJson.figures(r.test())));
                }
            });
        }
        return out;
    }

    private static ExperimentSummary.Shape notesNotNull(ExperimentSummary.Shape s) {
        return s.notes() != null
                ? s
                : new ExperimentSummary.Shape(
                        s.lowestComplexity(),
                        s.highestComplexity(),
                        s.clipT2rFallPercent(),
                        s.clipR2tFallPercent(),
                        s.villaT2rFallPercent(),
                        s.villaR2tFallPercent(),
                        s.villaT2rGain(),
                        s.villaR2tGain(),
                        s.clipFalls(),
                        s.villaHoldsUp(),
                        s.villaAheadFrom8(),
                        s.holds(),
                        List.of());
    }
}
