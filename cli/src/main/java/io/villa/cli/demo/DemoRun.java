package io.villa.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.cli.hospital.PhiScan;
import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.kafka.Attempt;
import io.villa.producers.kafka.Attempts;
import io.villa.producers.kafka.PairProducer;
import io.villa.producers.kafka.ProduceSummary;
import io.villa.producers.mnist.MnistCache;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.report.Gallery;
import io.villa.report.GalleryImage;
import io.villa.report.RunReport;
import io.villa.report.RunSummary;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.service.ServiceConfig;
import io.villa.trainer.service.TrainerRun;
import picocli.CommandLine;

/**
 * One demo run, in order: an embedded broker; the trainers start and wait for region-attribute pairs;
 * DocMNIST is produced (validation first, so the trainers hold their evaluation set from the start, then
 * train, then test); the decomposition job runs in a local MiniCluster until it has read everything;
 * the trainers drain the topic and evaluate; the report is written. A status view shows it all; the
 * time limit or Ctrl-C ends each stage early, and the report is written anyway.
 */
public final class DemoRun implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    private static final String DECOMPOSE_GROUP = "villa-decompose";
    /** After the job finished, a trainer that saw nothing new for this long has read the whole topic. */
    private static final long DRAIN_IDLE_MILLIS = 10_000;
    /** What a trainer asked to stop may take: finish the step, evaluate validation and test, checkpoint. */
    private static final Duration TRAINER_STOP_GRACE = Duration.ofMinutes(2);

    private static final int GALLERY_IMAGES = 12;

    /**
     * The demo's options. Every one has the demo's default; {@link Builder} checks each value and names the bad one.
     *
     * @param heldOutTest where the TEST split comes from when it is not this run's own DocMNIST (an experiment scores
     *                    every cell on one shared test set); empty: generated with this run's complexity and seed
     * @param label       shown first in the status header (an experiment's "cell 2/5"); empty for a plain demo
     */
    public record Config(
            int complexity,
            long trainBudget,
            long valBudget,
            long testBudget,
            List<String> modes,
            Duration timeLimit,
            int warmupPairs,
            int evalEvery,
            PassPlan passes,
            long seed,
            boolean redraw,
            Optional<TestSet> heldOutTest,
            String label,
            Feed feed,
            double correctedFraction,
            double orphanFraction,
            boolean phiInReport,
            long maxLearningLag,
            OptionalLong modelSeed) {

        public static Builder builder() {
            return new Builder();
        }

        /** The seed of the models: --model-seed, else the data's. */
        public long modelSeedOrSeed() {
            return modelSeed.orElse(seed);
        }

        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("complexity", String.valueOf(complexity));
            m.put("trainBudget", String.valueOf(trainBudget));
            m.put("valBudget", String.valueOf(valBudget));
            m.put("testBudget", String.valueOf(testBudget));
            m.put("modes", String.join(",", modes));
            m.put("timeLimitSeconds", String.valueOf(timeLimit.toSeconds()));
            m.put("warmupPairs", String.valueOf(warmupPairs));
            m.put("evalEvery", String.valueOf(evalEvery));
            m.put("passes", String.valueOf(passes.passes()));
            m.put("patience", String.valueOf(passes.patience()));
            m.put("seed", String.valueOf(seed));
            m.put("maxLearningLag", String.valueOf(maxLearningLag));
            modelSeed.ifPresent(v -> m.put("modelSeed", String.valueOf(v)));
            heldOutTest.ifPresent(t -> {
                m.put("testComplexity", String.valueOf(t.complexity()));
                m.put("testSeed", String.valueOf(t.seed()));
            });
            if (feed == Feed.HOSPITAL) {
                m.put("feed", "hospital");
                m.put("correctedFraction", String.valueOf(correctedFraction));
                m.put("orphanFraction", String.valueOf(orphanFraction));
                m.put("phiInReport", String.valueOf(phiInReport));
            }
            return m;
        }
    }

    /**
     * Where the image-report pairs come from: DIRECT, DocMNIST produced straight to the pairs topic; HOSPITAL, the same
     * DocMNIST through a simulated hospital (PACS, HL7, follower, listener, join; see {@link HospitalFeedStage}).
     */
    public enum Feed {
        DIRECT,
        HOSPITAL
    }

    /** A TEST split generated apart from the run's own data: DocMNIST at this complexity and seed (its test budget). */
    public record TestSet(int complexity, long seed) {}

    /** Builds {@link Config}; {@code opt*} methods override the demo's defaults. */
    public static final class Builder {
        private int complexity = 16;
        private long trainBudget = 90_000;
        private long valBudget = 10_000;
        private long testBudget = 5_000;
        private List<String> modes = List.of("villa", "clip");
        private Duration timeLimit = Duration.ofMinutes(15);
        private int warmupPairs = 512;
        private int evalEvery = 25;
        private PassPlan passes = new PassPlan(2, 5);
        private long seed = 42;
        private boolean redraw = true;
        private Optional<TestSet> heldOutTest = Optional.empty();
        private String label = "";
        private Feed feed = Feed.DIRECT;
        private double correctedFraction = 0.05;
        private double orphanFraction = 0.02;
        private boolean phiInReport = true;
        private long maxLearningLag = 1024;
        private OptionalLong modelSeed = OptionalLong.empty();

        private Builder() {}

        public Builder optComplexity(int c) {
            this.complexity = c;
            return this;
        }

        public Builder optBudgets(long train, long val, long test) {
            this.trainBudget = train;
            this.valBudget = val;
            this.testBudget = test;
            return this;
        }

        public Builder optModes(List<String> m) {
            this.modes = List.copyOf(m);
            return this;
        }

        public Builder optTimeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        public Builder optWarmupPairs(int pairs) {
            this.warmupPairs = pairs;
            return this;
        }

        public Builder optEvalEvery(int steps) {
            this.evalEvery = steps;
            return this;
        }

        public Builder optPasses(PassPlan plan) {
            this.passes = plan;
            return this;
        }

        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Whether the status view redraws in place (a terminal) or prints a block every few seconds. */
        public Builder optRedraw(boolean inPlace) {
            this.redraw = inPlace;
            return this;
        }

        public Builder optHeldOutTest(TestSet test) {
            this.heldOutTest = Optional.of(test);
            return this;
        }

        public Builder optLabel(String text) {
            this.label = text == null ? "" : text;
            return this;
        }

        public Builder optFeed(Feed f) {
            this.feed = f;
            return this;
        }

        /** The hospital simulator's shares of corrected studies and of orphans (0.05 and 0.02). */
        public Builder optFeedFractions(double corrected, double orphan) {
            this.correctedFraction = corrected;
            this.orphanFraction = orphan;
            return this;
        }

        /** Whether the simulator plants the made-up patient's identifiers in a header line of each report (default true). */
        public Builder optPhiInReport(boolean planted) {
            this.phiInReport = planted;
            return this;
        }

        /** The decomposition job's --max-learning-lag (default 1024, as villa decompose; 0: deterministic decomposition). */
        public Builder optMaxLearningLag(long steps) {
            this.maxLearningLag = steps;
            return this;
        }

        /** Seed of the mapping model and the trainers, apart from the data's (default: the data's seed). */
        public Builder optModelSeed(long s) {
            this.modelSeed = OptionalLong.of(s);
            return this;
        }

        public Config build() {
            check(maxLearningLag >= 0, "maxLearningLag must be >= 0, not " + maxLearningLag);
            check(feed != null, "feed must be set");
            check(
                    correctedFraction >= 0 && correctedFraction <= 1,
                    "correctedFraction must be in 0..1, not " + correctedFraction);
            check(orphanFraction >= 0 && orphanFraction <= 1, "orphanFraction must be in 0..1, not " + orphanFraction);
            check(
                    feed == Feed.DIRECT || heldOutTest.isEmpty(),
                    "feed HOSPITAL takes no heldOutTest: the simulator feeds every split");
            check(
                    complexity >= DocMnistConfig.MIN_COMPLEXITY && complexity <= DocMnistConfig.MAX_COMPLEXITY,
                    "complexity must be in " + DocMnistConfig.MIN_COMPLEXITY + ".." + DocMnistConfig.MAX_COMPLEXITY
                            + ", not " + complexity);
            check(trainBudget > 0, "trainBudget must be positive, not " + trainBudget);
            check(valBudget > 0, "valBudget must be positive, not " + valBudget);
            check(testBudget > 0, "testBudget must be positive, not " + testBudget);
            check(
                    !modes.isEmpty() && modes.stream().allMatch(m -> m.equals("villa") || m.equals("clip")),
                    "modes must be villa and/or clip, not " + modes);
            check(
                    timeLimit != null && !timeLimit.isNegative() && !timeLimit.isZero(),
                    "timeLimit must be positive, not " + timeLimit);
            check(warmupPairs > 0, "warmupPairs must be positive, not " + warmupPairs);
            check(evalEvery > 0, "evalEvery must be positive, not " + evalEvery);
            check(passes != null, "passes must be set");
            heldOutTest.ifPresent(t -> check(
                    t.complexity() >= DocMnistConfig.MIN_COMPLEXITY && t.complexity() <= DocMnistConfig.MAX_COMPLEXITY,
                    "heldOutTest.complexity must be in " + DocMnistConfig.MIN_COMPLEXITY + ".."
                            + DocMnistConfig.MAX_COMPLEXITY + ", not " + t.complexity()));
            return new Config(
                    complexity,
                    trainBudget,
                    valBudget,
                    testBudget,
                    modes,
                    timeLimit,
                    warmupPairs,
                    evalEvery,
                    passes,
                    seed,
                    redraw,
                    heldOutTest,
                    label,
                    feed,
                    correctedFraction,
                    orphanFraction,
                    phiInReport,
                    maxLearningLag,
                    modelSeed);
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    private final Config settings;
    private final Path runDir;
    private final TopicNames topics = TopicNames.defaults();
    private final long startNanos = System.nanoTime();
    private final CountDownLatch reportWritten = new CountDownLatch(1);
    private volatile String phase = "starting";
    private volatile boolean interrupted;
    private volatile boolean timeLimitReached;
    /** Pairs the producer reports as sent (acknowledged), -1 until it finished. */
    private volatile long producerSent = -1;
    /** The hospital feed's counts and the PHI scan's, empty for the direct feed. */
    private final Map<String, Long> feedCounts = new LinkedHashMap<>();

    private List<String> plantedValues = List.of();

    public DemoRun(Config settings, Path runDir) {
        this.settings = settings;
        this.runDir = runDir;
    }

    @Override
    public Integer call() throws Exception {
        run();
        return interrupted ? 130 : 0;
    }

    /** True once Ctrl-C reached this run (its report is still written). */
    public boolean interrupted() {
        return interrupted;
    }

    /**
     * The whole run; returns its summary once the report is written. A stage that failed is rethrown after the report
     * is written.
     */
    public RunSummary run() throws Exception {
        Instant started = Instant.now();
        Thread hook = new Thread(this::onShutdown, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<TrainerStage> trainers = new ArrayList<>();
        Exception failure = null;
        boolean decomposed = false;
        RunSummary summary;
        try (DemoLogs logs = DemoLogs.toFile(runDir.resolve("demo.log"));
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start().createTopics(topics, 1);
                PipelineMonitor monitor = new PipelineMonitor(broker.settings(), topics, DECOMPOSE_GROUP, modelIds())) {
            StatusView view = new StatusView(
                            monitor,
                            System.out,
                            settings.redraw() && StatusView.terminal(),
                            Duration.ofSeconds(10),
                            this::header)
                    .start();
            try {
                for (String mode : settings.modes()) {
                    trainers.add(TrainerStage.start(
                            mode,
                            modelId(mode),
                            TrainerRun.open(
                                    broker.settings(),
                                    topics,
                                    trainerConfig(mode),
                                    serviceConfig(mode),
                                    runDir.resolve("trainer-" + mode))));
                }
                if (settings.feed() == Feed.HOSPITAL) {
                    phase = "hospital feed: simulator -> PACS and HL7 -> follower and listener -> join";
                    feedHospital(broker.settings());
                } else {
                    phase = "producing DocMNIST";
                    produce(broker.settings());
                }
                phase = "decomposing (the mapping model learns online) while the trainers learn";
                decomposed = decompose(broker.bootstrapServers());
                phase = settings.passes().replays()
                        ? "trainers reading the last region-attribute pairs, then replaying them"
                        : "trainers reading the last region-attribute pairs";
                trainers.forEach(t -> t.service().stopWhenIdle(DRAIN_IDLE_MILLIS));
                awaitTrainers(trainers);
            } catch (Exception e) {
                failure = e;
                LOG.error("demo stage failed: {}", e.toString(), e);
            } finally {
                phase = "stopping the trainers (final evaluation and checkpoint)";
                stopTrainers(trainers);
                trainers.forEach(TrainerStage::close); // while the broker still runs: their clients flush on close
                phase = "writing the report";
                view.close();
            }
            PipelineStatus last = view.latest(); // closing the view read every committed record
            boolean early = interrupted || timeLimitReached || failure != null || !decomposed;
            if (settings.feed() == Feed.HOSPITAL) {
                scanForPhi(broker);
            }
            summary = DemoSummary.build(
                    started.toString(),
                    (System.nanoTime() - startNanos) / 1e9,
                    early,
                    settings.asMap(),
                    last,
                    monitor.mappingEvents(),
                    trainerEvents(monitor),
                    trainers.stream().map(TrainerStage::result).toList(),
                    producerSent,
                    maxHeldOut(),
                    feedCounts);
            List<GalleryImage> gallery = Gallery.collect(
                    broker.settings(), topics.regionAttributePairs(), GALLERY_IMAGES, Duration.ofSeconds(30));
            RunReport.write(runDir, summary, gallery);
        } finally {
            reportWritten.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for reportWritten
            }
        }
        printEnd(summary);
        if (failure != null) {
            throw failure;
        }
        return summary;
    }

    /** Ctrl-C: every stage sees {@link #interrupted}; the JVM waits until the report is written. */
    private void onShutdown() {
        interrupted = true;
        try {
            reportWritten.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean shouldStop() {
        if (System.nanoTime() - startNanos > settings.timeLimit().toNanos()) {
            timeLimitReached = true;
        }
        return interrupted || timeLimitReached;
    }

    /**
     * The same DocMNIST as the direct feed, through a simulated hospital; returns once the join has settled. The pairs
     * the join wrote are what the decomposition reads, as the producer's are in the direct feed.
     */
    private void feedHospital(KafkaSettings kafka) throws Exception {
        MnistDigits digits = MnistDigits.fromCache(MnistCache.resolve(null));
        DocMnistConfig config = docMnistConfig();
        try (HospitalFeedStage feed = new HospitalFeedStage(
                kafka,
                topics,
                runDir,
                settings.seed(),
                settings.correctedFraction(),
                settings.orphanFraction(),
                settings.phiInReport())) {
            try {
                HospitalFeedStage.Counts counts = feed.run(
                        new DocMnistGenerator(digits, config),
                        List.of(Split.VAL, Split.TRAIN, Split.TEST),
                        this::shouldStop);
                feedCounts.putAll(counts.asMap());
                producerSent = counts.pairsJoined();
            } catch (InterruptedException e) {
                if (!shouldStop()) {
                    throw e;
                }
                // Ctrl-C or the time limit: the stage ends early, as the direct producer's does
                LOG.info("hospital feed stopped early: {}", e.getMessage());
            } finally {
                plantedValues = feed.plantedValues();
            }
        }
    }

    /**
     * The PHI scan after a hospital run: every planted value of the simulator, searched in every record of every topic
     * (any state, keys, values, headers), the broker's files and this run's log. Counts go into the summary; the
     * values found are logged by kind of place only (never the value).
     */
    private void scanForPhi(EmbeddedKafkaBroker broker) {
        if (plantedValues.isEmpty()) {
            return;
        }
        try {
            PhiScan.Result inTopics = PhiScan.topics(broker.settings(), plantedValues);
            List<String> inFiles = PhiScan.files(broker.dataDir(), plantedValues);
            Path log = runDir.resolve("demo.log");
            long inLog = java.nio.file.Files.isRegularFile(log)
                    ? PhiScan.find(
                                    java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1),
                                    plantedValues)
                            .size()
                    : 0;
            feedCounts.put("phiScanPlantedValues", PhiScan.searchable(plantedValues));
            feedCounts.put("phiScanRecords", inTopics.records());
            feedCounts.put("phiScanHits", (long) inTopics.hits().size() + inFiles.size() + inLog);
            LOG.info(
                    "PHI scan: {} planted values searched in {} records of every topic, the broker's files and the log: "
                            + "{} hits in records, {} in files, {} in the log",
                    PhiScan.searchable(plantedValues),
                    inTopics.records(),
                    inTopics.hits().size(),
                    inFiles.size(),
                    inLog);
        } catch (RuntimeException | IOException e) {
            LOG.warn("PHI scan could not run: {}", e.toString());
        }
    }

    /** This run's own DocMNIST: its complexity, seed and budgets. */
    private DocMnistConfig docMnistConfig() {
        return DocMnistConfig.builder()
                .optSeed(settings.seed())
                .optTargetComplexity(settings.complexity())
                .optBudgets(settings.trainBudget(), settings.valBudget(), settings.testBudget())
                .build();
    }

    private void produce(KafkaSettings kafka) throws IOException {
        MnistDigits digits = MnistDigits.fromCache(MnistCache.resolve(null));
        DocMnistConfig config = docMnistConfig();
        DocMnistGenerator generator = new DocMnistGenerator(digits, config);
        // validation first: the trainers then hold their whole evaluation set from their first steps
        List<Split> own = settings.heldOutTest().isPresent()
                ? List.of(Split.VAL, Split.TRAIN)
                : List.of(Split.VAL, Split.TRAIN, Split.TEST);
        long count = Attempts.docMnistCount(generator, own);
        Iterator<Attempt> attempts = Attempts.docMnist(generator, own);
        if (settings.heldOutTest().isPresent()) {
            TestSet t = settings.heldOutTest().get();
            DocMnistGenerator test = new DocMnistGenerator(
                    digits,
                    config.toBuilder()
                            .optSeed(t.seed())
                            .optTargetComplexity(t.complexity())
                            .build());
            List<Split> testOnly = List.of(Split.TEST);
            count += Attempts.docMnistCount(test, testOnly);
            attempts = concat(attempts, Attempts.docMnist(test, testOnly));
        }
        try (PairProducer producer =
                new PairProducer(kafka, topics.imageReportPairs(), topics.deadLetters(), "demo.produce")) {
            ProduceSummary sent = producer.run(attempts, new PairProducer.RunOptions("docmnist", 0, count, false));
            producerSent = sent.sent();
            LOG.info(
                    "produced {} DocMNIST pairs ({} failed) in {} s",
                    sent.sent(),
                    sent.failed(),
                    String.format(Locale.ROOT, "%.1f", sent.seconds()));
        }
    }

    /** Runs the job until it has read every pair produced; false when stopped early (it is cancelled then). */
    private boolean decompose(String bootstrap) throws Exception {
        if (shouldStop()) {
            return false;
        }
        DecomposeOptions options = new DecomposeOptions();
        new CommandLine(options)
                .parseArgs(
                        "--bootstrap",
                        bootstrap,
                        "--bounded",
                        "--group-id",
                        DECOMPOSE_GROUP,
                        "--warmup-pairs",
                        String.valueOf(settings.warmupPairs()),
                        "--seed",
                        String.valueOf(settings.modelSeedOrSeed()),
                        "--max-learning-lag",
                        String.valueOf(settings.maxLearningLag()),
                        "--log-every",
                        "100",
                        "--checkpoint-interval",
                        "5000",
                        "--checkpoint-dir",
                        runDir.resolve("flink-checkpoints")
                                .toAbsolutePath()
                                .toUri()
                                .toString(),
                        "--model-dir",
                        runDir.resolve("mapping-models").toAbsolutePath().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        DecomposeJob.build(env, options);
        JobClient job = env.executeAsync("villa-decompose");
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        while (true) {
            try {
                result.get(250, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException running) {
                if (shouldStop()) {
                    LOG.info("cancelling the decomposition job ({})", interrupted ? "Ctrl-C" : "time limit");
                    cancel(job);
                    return false;
                }
            } catch (ExecutionException e) {
                if (interrupted) { // the JVM is shutting down: Flink's own hooks may have ended the job first
                    LOG.info(
                            "decomposition job ended during shutdown: {}",
                            e.getCause().toString());
                    return false;
                }
                throw e;
            }
        }
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("could not cancel the decomposition job cleanly: {}", e.toString());
        }
    }

    private void awaitTrainers(List<TrainerStage> trainers) throws InterruptedException {
        while (!shouldStop() && !trainers.stream().allMatch(TrainerStage::done)) {
            Thread.sleep(250);
        }
    }

    private void stopTrainers(List<TrainerStage> trainers) {
        trainers.forEach(t -> t.service().requestStop());
        for (TrainerStage t : trainers) {
            try {
                t.await(TRAINER_STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private TrainerConfig trainerConfig(String mode) {
        return TrainerConfig.builder()
                .optMode(TrainingMode.parse(mode))
                .optSeed(settings.modelSeedOrSeed())
                .build();
    }

    private ServiceConfig serviceConfig(String mode) {
        // two trainers share the two cores with the mapping model: one PyTorch thread each
        int threads = settings.modes().size() > 1 ? 1 : 0;
        // equal budgets: both modes make the same passes over the same pairs (pass 1 as the job decomposes them)
        return ServiceConfig.builder(topics.regionAttributePairs())
                .optModelId(modelId(mode))
                .optEvalEvery(settings.evalEvery())
                .optCheckpointing(settings.evalEvery(), 2)
                .optProgress(false)
                .optCpuThreads(threads)
                .optPasses(settings.passes())
                .build();
    }

    private long maxHeldOut() {
        return settings.modes().stream()
                .mapToLong(m -> serviceConfig(m).maxHeldOut())
                .min()
                .orElse(0);
    }

    private static String modelId(String mode) {
        return mode + "-vlm";
    }

    private List<String> modelIds() {
        return settings.modes().stream().map(DemoRun::modelId).toList();
    }

    private Map<String, List<TrainerEvent>> trainerEvents(PipelineMonitor monitor) {
        Map<String, List<TrainerEvent>> events = new LinkedHashMap<>();
        modelIds().forEach(id -> events.put(id, monitor.trainerEvents(id)));
        return events;
    }

    private String header() {
        return String.format(
                Locale.ROOT,
                "villa demo%s | %s | %s elapsed (limit %s) | logs %s",
                settings.label().isEmpty() ? "" : " " + settings.label(),
                phase,
                minutes(Duration.ofNanos(System.nanoTime() - startNanos)),
                minutes(settings.timeLimit()),
                runDir.resolve("demo.log"));
    }

    /** The first sequence, then the second. */
    private static <T> Iterator<T> concat(Iterator<T> first, Iterator<T> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private void printEnd(RunSummary summary) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%nvilla demo %s in %s%n",
                summary.stoppedEarly() ? "stopped early" : "finished",
                minutes(Duration.ofMillis((long) (summary.wallSeconds() * 1000)))));
        Map<String, Long> c = summary.counts();
        sb.append(String.format(
                Locale.ROOT,
                "  pairs   produced %,d = decomposed %,d + dead-lettered %,d%s%n",
                c.get("pairsProduced"),
                c.get("pairsDecomposed"),
                c.get("pairsDeadLettered"),
                c.get("pairsUnaccounted") > 0
                        ? String.format(Locale.ROOT, " + unaccounted %,d", c.get("pairsUnaccounted"))
                        : ""));
        sb.append("  counts  ")
                .append(
                        summary.countsBalance()
                                ? "balance"
                                : "do NOT balance: "
                                        + String.join(
                                                "; ",
                                                summary.countChecks().stream()
                                                        .filter(k -> !k.holds())
                                                        .map(k -> String.format(
                                                                Locale.ROOT,
                                                                "%s (expected %,d, got %,d)",
                                                                k.check(),
                                                                k.expected(),
                                                                k.actual()))
                                                        .toList()))
                .append(System.lineSeparator());
        if (c.containsKey("feedStudies")) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  feed    %,d studies: images sent %,d, reports sent %,d, acknowledged %,d;"
                            + " joined %,d pairs, orphaned %,d%n",
                    c.get("feedStudies"),
                    c.get("feedImagesSent"),
                    c.get("feedReportsSent"),
                    c.get("feedReportsAcknowledged"),
                    c.get("feedPairsJoined"),
                    c.get("feedOrphaned")));
        }
        if (c.containsKey("phiScanHits")) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  PHI     %,d planted values searched in %,d records, the broker's files and the log:"
                            + " %,d hits%n",
                    c.get("phiScanPlantedValues"),
                    c.get("phiScanRecords"),
                    c.get("phiScanHits")));
        }
        summary.mapping()
                .quality()
                .forEach((split, q) -> sb.append(String.format(
                        Locale.ROOT,
                        "  mapping %-5s precision %.3f recall %.3f F1 %.3f%n",
                        split.toLowerCase(Locale.ROOT),
                        q.getOrDefault("precision", Double.NaN),
                        q.getOrDefault("recall", Double.NaN),
                        q.getOrDefault("f1", Double.NaN))));
        for (RunSummary.ModelSummary m : summary.models()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-5s %d steps, %d passes, best pass %d | val t2r R-P %.3f r2t R-P %.3f"
                            + " | test t2r R-P %.3f r2t R-P %.3f%n",
                    m.mode(),
                    m.steps(),
                    m.passes(),
                    m.bestPass(),
                    m.validation().getOrDefault("t2r.rprecision", Double.NaN),
                    m.validation().getOrDefault("r2t.rprecision", Double.NaN),
                    m.test().getOrDefault("t2r.rprecision", Double.NaN),
                    m.test().getOrDefault("r2t.rprecision", Double.NaN)));
        }
        sb.append("  report:  ")
                .append(runDir.resolve("report.html").toAbsolutePath())
                .append(System.lineSeparator());
        sb.append("  summary: ")
                .append(runDir.resolve("summary.json").toAbsolutePath())
                .append(System.lineSeparator());
        System.out.print(sb);
        System.out.flush();
    }
}
