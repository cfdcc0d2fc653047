package io.villa.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the demo calls at the end of a run: both files of its report into the run's directory. */
public final class RunReport {

    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

    private RunReport() {
    }

    /**
     * Writes {@code runDir/summary.json} first (the figures are what must survive), then {@code runDir/report.html}.
     * Both come from the same summary with non-finite figures left out (see {@link SummaryFile}), so they agree.
     *
     * @param gallery decomposed images to show; may be empty
     */
    public static void write(Path runDir, RunSummary summary, List<GalleryImage> gallery) throws IOException {
        java.util.Objects.requireNonNull(summary, "summary");
        Files.createDirectories(runDir);
        RunSummary finite = SummaryFile.finite(summary);
        SummaryFile.write(runDir.resolve(SummaryFile.FILE_NAME), finite);
        ReportPage.write(runDir.resolve(ReportPage.FILE_NAME), finite, gallery == null ? List.of() : gallery);
        LOG.info("report: open {} in a browser", runDir.resolve(ReportPage.FILE_NAME).toAbsolutePath());
    }
}
