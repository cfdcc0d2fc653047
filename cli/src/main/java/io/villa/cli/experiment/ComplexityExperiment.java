package io.villa.cli.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.cli.demo.DemoRun;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistStats;
import io.villa.producers.mnist.MnistCache;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;
import io.villa.report.ExperimentAnalysis;
import io.villa.report.ExperimentFile;
import io.villa.report.ExperimentReport;
import io.villa.report.ExperimentSummary;
import io.villa.report.RunSummary;

/**
 * The paper's experiment: retrieval as the training data's sample complexity grows. Each cell of the plan is one demo
 * run (embedded broker, DocMNIST, the decomposition job with its online mapping model, both trainers with equal
 * passes and early stopping), all scored on one shared test set. experiment.json and report.html are rewritten after
 * every finished cell, so a run cut short (time limit, Ctrl-C, a failed cell) keeps what it finished and
 * {@link #resume} continues with the rest. A cell cut short is run again from the start.
 */
public final class ComplexityExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(ComplexityExperiment.class);
    /** A cell given less time than this would only be cut short: the run stops before it instead. */
    private static final Duration MIN_CELL_TIME = Duration.ofMinutes(1);

    private final ExperimentPlan plan;
    private final Path dir;
    private final List<ExperimentSummary.Cell> finished;
    private final String started;
    private final double earlierWallSeconds;
    private final boolean redraw;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile boolean interrupted;

    private ComplexityExperiment(
            ExperimentPlan plan,
            Path dir,
            List<ExperimentSummary.Cell> finished,
            String started,
            double earlierWallSeconds,
            boolean redraw,
            PrintStream out) {
        this.plan = plan;
        this.dir = dir;
        this.finished = new ArrayList<>(finished);
        this.started = started;
        this.earlierWallSeconds = earlierWallSeconds;
        this.redraw = redraw;
        this.out = out;
    }

    /** A new experiment in {@code dir} (which must not hold one already). */
    public static ComplexityExperiment start(ExperimentPlan plan, Path dir, boolean redraw, PrintStream out)
            throws IOException {
        if (Files.exists(dir.resolve(ExperimentFile.FILE_NAME))) {
            throw new IllegalArgumentException(dir + " already holds an experiment: continue it with --resume " + dir);
        }
        Files.createDirectories(dir);
        return new ComplexityExperiment(plan, dir, List.of(), Instant.now().toString(), 0, redraw, out);
    }

    /** Continues the experiment in {@code dir} with its own plan; only the time limit is this session's. */
    public static ComplexityExperiment resume(Path dir, Duration timeLimit, boolean redraw, PrintStream out)
            throws IOException {
        Path file = dir.resolve(ExperimentFile.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("nothing to resume: " + file + " does not exist");
        }
        ExperimentSummary earlier = ExperimentFile.read(file);
        ExperimentPlan plan = ExperimentPlan.fromMap(earlier.settings(), timeLimit);
        double wall = Double.isFinite(earlier.wallSeconds()) ? earlier.wallSeconds() : 0;
        return new ComplexityExperiment(plan, dir, earlier.cells(), earlier.started(), wall, redraw, out);
    }

    public ExperimentPlan plan() {
        return plan;
    }

    /** Where experiment.json, report.html and the cells' directories are. */
    public Path dir() {
        return dir;
    }

    /** Runs every cell not finished yet, in order, until the time limit; returns what experiment.json now holds. */
    public ExperimentSummary run() throws Exception {
        Thread hook = new Thread(this::onShutdown, "experiment-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<ExperimentPlan.Cell> cells = plan.cells();
        boolean stoppedEarly = false;
        Exception failure = null;
        ExperimentSummary summary;
        try {
            for (int i = 0; i < cells.size(); i++) {
                ExperimentPlan.Cell cell = cells.get(i);
                if (isFinished(cell)) {
                    continue;
                }
                Duration left = plan.timeLimit().minus(Duration.ofNanos(System.nanoTime() - startNanos));
                if (interrupted || left.compareTo(MIN_CELL_TIME) < 0) {
                    LOG.info("stopping before {} ({})", cell.dirName(), interrupted ? "Ctrl-C" : "time limit");
                    stoppedEarly = true;
                    break;
                }
                try {
                    if (!runCell(cell, i + 1, cells.size(), left)) {
                        stoppedEarly = true;
                        break;
                    }
                } catch (Exception e) {
                    LOG.error("cell {} failed: {}", cell.dirName(), e.toString(), e);
                    failure = e;
                    stoppedEarly = true;
                    break;
                }
                write(false); // what is finished survives whatever comes next
            }
            summary = write(stoppedEarly);
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for written
            }
        }
        if (failure != null) {
            throw failure;
        }
        return summary;
    }

    /** True when the run ended because of Ctrl-C. */
    public boolean interrupted() {
        return interrupted;
    }

    /** @return false when the cell was cut short (its figures are not kept) */
    private boolean runCell(ExperimentPlan.Cell cell, int number, int total, Duration timeLeft) throws Exception {
        Path cellDir = dir.resolve(cell.dirName());
        deleteTree(cellDir); // a cell cut short earlier starts again: its trainers must not resume its checkpoints
        String label = String.format(
                Locale.ROOT,
                "| experiment cell %d/%d: complexity %d, seed %d",
                number,
                total,
                cell.complexity(),
                cell.seed());
        out.printf(Locale.ROOT, "%n== %s (%s left of the time limit)%n", label.substring(2), minutes(timeLeft));
        DemoRun.Config config = DemoRun.Config.builder()
                .optComplexity(cell.complexity())
                .optBudgets(plan.trainBudget(), plan.valBudget(), plan.testBudget())
                .optSeed(cell.seed())
                .optHeldOutTest(new DemoRun.TestSet(plan.testComplexity(), plan.testSeed()))
                .optPasses(plan.passes())
                .optWarmupPairs(plan.warmupPairs())
                .optTimeLimit(timeLeft)
                .optRedraw(redraw)
                .optLabel(label)
                .build();
        DemoRun demo = new DemoRun(config, cellDir);
        RunSummary run = demo.run();
        if (demo.interrupted()) {
            interrupted = true;
        }
        if (run.stoppedEarly()) {
            LOG.info("cell {} was cut short: it runs again when the experiment resumes", cell.dirName());
            return false;
        }
        DocMnistStats train = DocMnistStats.of(generator(cell).samples(Split.TRAIN), Long.MAX_VALUE);
        ExperimentSummary.Cell result = CellResults.of(cell, run, train, cell.dirName());
        finished.add(result);
        out.println(oneLine(result));
        return true;
    }

    private DocMnistGenerator generator(ExperimentPlan.Cell cell) {
        return new DocMnistGenerator(
                MnistDigits.fromCache(MnistCache.resolve(null)),
                DocMnistConfig.builder()
                        .optSeed(cell.seed())
                        .optTargetComplexity(cell.complexity())
                        .optBudgets(plan.trainBudget(), plan.valBudget(), plan.testBudget())
                        .build());
    }

    private boolean isFinished(ExperimentPlan.Cell cell) {
        return finished.stream().anyMatch(c -> c.targetComplexity() == cell.complexity() && c.seed() == cell.seed());
    }

    private ExperimentSummary write(boolean stoppedEarly) throws IOException {
        double wall = earlierWallSeconds + (System.nanoTime() - startNanos) / 1e9;
        boolean early = stoppedEarly || finished.size() < plan.cells().size();
        ExperimentSummary summary = ExperimentAnalysis.summarize(started, wall, early, plan.asMap(), finished);
        ExperimentReport.write(dir, summary);
        return summary;
    }

    /** Ctrl-C: the running cell stops and writes its report; the JVM waits until experiment.json is written too. */
    private void onShutdown() {
        interrupted = true;
        try {
            written.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String oneLine(ExperimentSummary.Cell c) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "   complexity %d seed %d: %d train images, average complexity %.2f | mapping F1 %.3f",
                c.targetComplexity(),
                c.seed(),
                c.trainImages(),
                c.averageComplexity(),
                c.mapping().getOrDefault("f1", Double.NaN)));
        c.modes()
                .forEach((mode, r) -> sb.append(String.format(
                        Locale.ROOT,
                        " | %s test t2r %.3f r2t %.3f",
                        mode,
                        r.test().getOrDefault("t2r.rprecision", Double.NaN),
                        r.test().getOrDefault("r2t.rprecision", Double.NaN))));
        sb.append(String.format(Locale.ROOT, " | %s", minutes(Duration.ofMillis((long) (c.wallSeconds() * 1000)))));
        return sb.toString();
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
