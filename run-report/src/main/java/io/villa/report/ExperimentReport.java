package io.villa.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@code villa experiment complexity} calls after every cell: both files of the experiment's report. */
public final class ExperimentReport {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentReport.class);

    private ExperimentReport() {
    }

    /**
     * Writes {@code dir/experiment.json} first (the figures, and the cells a resumed run starts from, are what must
     * survive), then {@code dir/report.html}, both from the same summary with non-finite figures left out.
     *
     * @param summary as {@link ExperimentAnalysis#summarize} gives it
     */
    public static void write(Path dir, ExperimentSummary summary) throws IOException {
        java.util.Objects.requireNonNull(summary, "summary");
        Files.createDirectories(dir);
        ExperimentSummary finite = ExperimentFile.finite(summary);
        ExperimentFile.write(dir.resolve(ExperimentFile.FILE_NAME), finite);
        ExperimentPage.write(dir.resolve(ExperimentPage.FILE_NAME), finite);
        LOG.info("experiment report: open {} in a browser", dir.resolve(ExperimentPage.FILE_NAME).toAbsolutePath());
    }
}
