package io.villa.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import io.villa.cli.demo.DemoRun;
import io.villa.cli.demo.HospitalFeedStage;
import io.villa.trainer.config.PassPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * villa demo: the whole system in one process. An embedded Kafka broker; DocMNIST produced to it; the
 * decomposition job in a local Flink MiniCluster while one or two trainers learn from its output; one
 * live status view; at the end runs/&lt;time&gt;/summary.json and report.html. {@link DemoRun} does the work.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole system in this process: an embedded Kafka broker (KRaft), DocMNIST produced to it,",
            "the decomposition job in a local Flink MiniCluster, and the trainer(s) learning from its output, with one",
            "live status view. Writes <out>/summary.json (every figure) and <out>/report.html (curves, gallery,",
            "villa vs clip); logs go to <out>/demo.log. Ctrl-C stops cleanly and still writes both files."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--complexity",
            defaultValue = "16",
            description = "DocMNIST target sample complexity (default ${DEFAULT-VALUE})")
    int complexity;

    @Option(
            names = "--train-budget",
            defaultValue = "90000",
            description = "train attribute budget (default ${DEFAULT-VALUE})")
    long trainBudget;

    @Option(
            names = "--val-budget",
            defaultValue = "10000",
            description = "validation attribute budget (default ${DEFAULT-VALUE})")
    long valBudget;

    @Option(
            names = "--test-budget",
            defaultValue = "5000",
            description = "test attribute budget (default ${DEFAULT-VALUE})")
    long testBudget;

    @Option(
            names = "--mode",
            defaultValue = "both",
            description =
                    "villa, clip, or both (two trainers side by side on the same topic; default ${DEFAULT-VALUE})")
    Modes mode;

    @Option(
            names = "--time-limit",
            defaultValue = "20",
            paramLabel = "MINUTES",
            description = "stop everything after this long and report what there is (default ${DEFAULT-VALUE})")
    double timeLimitMinutes;

    @Option(
            names = "--warmup-pairs",
            defaultValue = "512",
            description =
                    "train pairs the mapping model learns from before it decomposes anything (default ${DEFAULT-VALUE})")
    int warmupPairs;

    @Option(
            names = "--eval-every",
            defaultValue = "25",
            description =
                    "trainer steps between validation evaluations, the points of the retrieval curves (default ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(
            names = "--passes",
            defaultValue = "1",
            description =
                    "passes of each trainer over the decomposed pairs: the first while the job decomposes, the rest"
                            + " replay the topic, both modes over the same pairs; early stopping on validation. More passes cost"
                            + " time: each replay trains both models over every pair again (default ${DEFAULT-VALUE})")
    int passes;

    @Option(
            names = "--patience",
            defaultValue = "5",
            description =
                    "early stopping: passes without a better validation text->region R-precision (default ${DEFAULT-VALUE})")
    int patience;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "random seed of data and models (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--model-seed",
            paramLabel = "N",
            description =
                    "seed of the mapping model and the trainers alone, the data staying that of --seed: a model's spread"
                            + " over seeds on the same data (default: --seed)")
    Long modelSeed;

    @Option(names = "--out", description = "output directory (default runs/<time>)")
    Path out;

    @Option(
            names = "--feed",
            defaultValue = "direct",
            paramLabel = "direct|hospital",
            description = {
                "Where the image-report pairs come from (default ${DEFAULT-VALUE}): direct, DocMNIST produced",
                "straight to the pairs topic; hospital, the same DocMNIST through a simulated hospital: DICOM studies",
                "stored in a real Orthanc (DICOMweb) and HL7 ORU^R01 reports over MLLP, taken by the DICOMweb follower",
                "and the HL7 listener (de-identified with a pseudonym key made at random for the run, never shown),",
                "joined by the join job, then decomposed and learnt from as with direct. Needs Orthanc, its DICOMweb",
                "plugin and DCMTK (Debian: orthanc orthanc-dicomweb dcmtk)."
            })
    String feed;

    @Option(
            names = "--corrected-fraction",
            defaultValue = "0.05",
            paramLabel = "F",
            description =
                    "with --feed hospital: share of reported studies that get a FINAL then a CORRECTED report (default ${DEFAULT-VALUE})")
    double correctedFraction;

    @Option(
            names = "--orphan-fraction",
            defaultValue = "0.02",
            paramLabel = "F",
            description =
                    "with --feed hospital: share of studies that are orphans, an image or a report alone (default ${DEFAULT-VALUE})")
    double orphanFraction;

    @Option(
            names = "--no-phi-in-report",
            description =
                    "with --feed hospital: leave out the report header line that plants the made-up patient's name, MRN,"
                            + " birth date and phone number (the de-identification then has only the DICOM and HL7 fields to remove)")
    boolean noPhiInReport;

    @Option(
            names = "--max-learning-lag",
            defaultValue = "1024",
            paramLabel = "STEPS",
            description = {
                "the decomposition job's --max-learning-lag (default ${DEFAULT-VALUE}): learning steps that may be owed",
                "while pairs pass on. A burst of pairs is then decomposed by the warm-up model; 0 decomposes each pair",
                "with the model that learned from every TRAIN pair before it (deterministic, the stream at learning speed)"
            })
    long maxLearningLag;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-status", description = "print the status block every 10 s instead of redrawing it in place")
    boolean noStatus;

    @Override
    public Integer call() throws Exception {
        DemoRun.Feed source = switch (feed.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "direct" -> DemoRun.Feed.DIRECT;
            case "hospital" -> DemoRun.Feed.HOSPITAL;
            default ->
                throw new ParameterException(spec.commandLine(), "--feed must be direct or hospital, not " + feed);
        };
        if (source == DemoRun.Feed.HOSPITAL && HospitalFeedStage.missingParts() != null) {
            throw new ParameterException(spec.commandLine(), HospitalFeedStage.missingParts());
        }
        Path runDir = out != null
                ? out
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        DemoRun.Builder builder = DemoRun.Config.builder()
                .optComplexity(complexity)
                .optBudgets(trainBudget, valBudget, testBudget)
                .optModes(mode.trainerModes())
                .optTimeLimit(Duration.ofMillis((long) (timeLimitMinutes * 60_000)))
                .optWarmupPairs(warmupPairs)
                .optEvalEvery(evalEvery)
                .optPasses(new PassPlan(passes, patience))
                .optSeed(seed)
                .optRedraw(!noStatus)
                .optFeed(source)
                .optFeedFractions(correctedFraction, orphanFraction)
                .optPhiInReport(!noPhiInReport)
                .optMaxLearningLag(maxLearningLag);
        if (modelSeed != null) {
            builder.optModelSeed(modelSeed);
        }
        return new DemoRun(builder.build(), runDir).call();
    }

    /** --mode: which trainers learn side by side. */
    enum Modes {
        VILLA,
        CLIP,
        BOTH;

        List<String> trainerModes() {
            return this == BOTH ? List.of("villa", "clip") : List.of(name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
