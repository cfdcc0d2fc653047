package io.villa.producers.simulator;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;

import io.villa.deid.Pseudonyms;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistRenderer;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.records.Split;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hospital without a hospital: turns DocMNIST into DICOM studies stored in a PACS (STOW-RS) and ORU^R01 reports sent
 * over MLLP, at a rate, each report {@code reportDelay} after its image was stored, some corrected, some orphans. The
 * images are made and stored by a few workers; the reports go from one sender thread, in the order they fall due.
 *
 * <p>Logs never name a planted value: studies are named by their DocMNIST pair id.
 */
public final class HospitalSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(HospitalSimulator.class);
    private static final int STOW_ATTEMPTS = 3;

    private final DocMnistGenerator generator;
    private final StudyPlanner planner;
    private final List<Split> splits;
    private final StowRsClient pacs;
    private final DicomStudyWriter dicomWriter;
    private final MllpSender hl7;
    private final OruMessageFactory messages;
    private final double rate;
    private final Duration reportDelay;
    private final Path out;
    private final Path keepDicom;
    private final Pseudonyms pseudonyms;
    private final PrintStream progress;

    private final AtomicLong imagesStored = new AtomicLong();
    private final AtomicLong imagesFailed = new AtomicLong();
    private final AtomicLong hl7Nanos = new AtomicLong();
    private final AtomicLong imageStart = new AtomicLong();
    private final AtomicLong imageEnd = new AtomicLong();
    private final int imageWorkerCount;

    private HospitalSimulator(Builder b) {
        this.generator = b.generator;
        this.planner = b.planner;
        this.splits = b.splits;
        this.pacs = b.pacs;
        this.dicomWriter = b.dicomWriter;
        this.hl7 = b.hl7;
        this.messages = new OruMessageFactory(b.phiHeader);
        this.rate = b.rate;
        this.reportDelay = b.reportDelay;
        this.out = b.out;
        this.keepDicom = b.keepDicom;
        this.pseudonyms = b.pseudonyms;
        this.progress = b.progress;
        this.imageWorkerCount = b.imageWorkers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the whole simulation: every study of every split, then waits for the last report. */
    public SimulationSummary run() throws IOException, InterruptedException {
        try (PlantedValues planted = new PlantedValues(out, pseudonyms)) {
            return run(planted);
        }
    }

    private SimulationSummary run(PlantedValues planted) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("villa-simulate-");
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "villa-sim-hl7"));
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "villa-sim-progress"));
        ExecutorService imageWorkers = Executors.newFixedThreadPool(imageWorkerCount, r -> daemon(r, "villa-sim-image"));
        Semaphore imagesInFlight = new Semaphore(imageWorkerCount * 2); // bounds the queue; the pacer sets the rate
        InFlight pending = new InFlight(); // every image and report not yet sent
        long[] counts = new long[5]; // studies, orphan images, orphan reports, corrected, hl7 messages
        long start = System.nanoTime();
        if (progress != null) {
            reporter.scheduleAtFixedRate(() -> printProgress(start), 2, 2, TimeUnit.SECONDS);
        }
        try {
            Pacer pacer = new Pacer(rate);
            for (Split split : splits) {
                Iterator<DocMnistSample> samples = generator.samples(split);
                while (samples.hasNext()) {
                    SimulatedStudy study = planner.plan(samples.next());
                    pacer.acquire();
                    counts[0]++;
                    counts[1] += study.kind() == StudyKind.IMAGE_ONLY ? 1 : 0;
                    counts[2] += study.kind() == StudyKind.REPORT_ONLY ? 1 : 0;
                    counts[3] += study.corrected() ? 1 : 0;
                    counts[4] += study.kind().hasReport() && hl7 != null ? (study.corrected() ? 2 : 1) : 0;
                    planted.plant(study, study.kind().hasReport() ? messages.headerLines(study) : List.of());
                    if (study.kind().hasImage() && pacs != null) {
                        imagesInFlight.acquire();
                        pending.add();
                        imageWorkers.execute(() -> {
                            try {
                                afterImage(study, sendImage(study, work), sender, pending, planted);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                imagesInFlight.release();
                                pending.done();
                            }
                        });
                    } else {
                        afterImage(study, false, sender, pending, planted);
                    }
                }
            }
            pending.awaitNone();
        } finally {
            imageWorkers.shutdownNow();
            sender.shutdownNow();
            reporter.shutdownNow();
            deleteQuietly(work);
        }
        long end = System.nanoTime();
        SimulationSummary summary = new SimulationSummary(counts[0], imagesStored.get(), imagesFailed.get(), counts[1],
                counts[2], counts[3], counts[4],
                hl7 == null ? 0 : hl7.sent(), hl7 == null ? 0 : hl7.acknowledged(), hl7 == null ? 0 : hl7.refused(),
                hl7 == null ? 0 : hl7.unanswered(), hl7 == null ? 0 : hl7.givenUp(),
                Math.max(0, imageEnd.get() - imageStart.get()) / 1e9, hl7Nanos.get() / 1e9, (end - start) / 1e9);
        LOG.info("hospital simulation done: {} studies, {} images stored, {} HL7 messages acknowledged", summary.studies(),
                summary.imagesStored(), summary.hl7Acknowledged());
        return summary;
    }

    /** Schedules the study's reports ({@code reportDelay} after its image) or, without any, records its outcome. */
    private void afterImage(SimulatedStudy study, boolean stored, ScheduledExecutorService sender, InFlight pending,
                            PlantedValues planted) {
        if (study.kind().hasReport() && hl7 != null) {
            pending.add();
            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            sender.schedule(() -> sendReports(study, sender, pending, acknowledged, planted, stored),
                    reportDelay.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            planted.outcome(study, stored, List.of());
        }
    }

    /** Creates the DICOM file and stores it, with retries; false when it could not be stored. */
    private boolean sendImage(SimulatedStudy study, Path work) throws InterruptedException {
        long now = System.nanoTime();
        imageStart.compareAndSet(0, now);
        Path file = (keepDicom != null ? keepDicom : work).resolve(study.pairId() + ".dcm");
        try {
            BufferedImage pixels = DocMnistRenderer.render(study.sample(), generator.pool(study.sample().split()));
            if (keepDicom != null) {
                Files.createDirectories(keepDicom);
            }
            dicomWriter.write(study, pixels, file);
            byte[] dicom = Files.readAllBytes(file);
            long backoff = 500;
            for (int attempt = 1; ; attempt++) {
                try {
                    pacs.store(dicom);
                    imagesStored.incrementAndGet();
                    imageEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    return true;
                } catch (IOException e) {
                    if (attempt >= STOW_ATTEMPTS) {
                        throw e;
                    }
                    LOG.debug("image of {} not stored (attempt {}): {}", study.pairId(), attempt, e.getMessage());
                    Thread.sleep(backoff);
                    backoff *= 2;
                }
            }
        } catch (IOException e) {
            imagesFailed.incrementAndGet();
            LOG.warn("image of {} not stored: {}", study.pairId(), e.getMessage());
            return false;
        } finally {
            if (keepDicom == null) {
                deleteQuietly(file);
            }
        }
    }

    /** Sends the FINAL report; a correction follows {@code reportDelay} later, as its own task. */
    private void sendReports(SimulatedStudy study, ScheduledExecutorService sender, InFlight pending, List<String> acknowledged,
                             PlantedValues planted, boolean imageStored) {
        boolean last = !study.corrected();
        try {
            if (send(messages.finalReport(study), study)) {
                acknowledged.add(study.finalControlId());
            }
            if (study.corrected()) {
                pending.add();
                sender.schedule(() -> {
                    try {
                        if (send(messages.correctedReport(study), study)) {
                            acknowledged.add(study.correctedControlId());
                        }
                    } catch (HL7Exception e) {
                        LOG.warn("corrected report of {} not built: {}", study.pairId(), e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        planted.outcome(study, imageStored, List.copyOf(acknowledged));
                        pending.done();
                    }
                }, reportDelay.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (HL7Exception e) {
            LOG.warn("report of {} not built: {}", study.pairId(), e.getMessage());
            last = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = true;
        } finally {
            if (last) {
                planted.outcome(study, imageStored, List.copyOf(acknowledged));
            }
            pending.done();
        }
    }

    private boolean send(Message message, SimulatedStudy study) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            boolean acked = hl7.send(message);
            if (!acked) {
                LOG.warn("report of {} not acknowledged ({}); given up", study.pairId(), hl7.lastFailure());
            }
            return acked;
        } finally {
            hl7Nanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private void printProgress(long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.printf(Locale.ROOT, "simulate hospital: %.0f s, images stored %d (failed %d), HL7 acknowledged %d of %d sent%n",
                seconds, imagesStored.get(), imagesFailed.get(), hl7 == null ? 0 : hl7.acknowledged(),
                hl7 == null ? 0 : hl7.sent());
        progress.flush();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (var children = Files.list(path)) {
                    for (Path child : children.toList()) {
                        deleteQuietly(child);
                    }
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", path, e.toString());
        }
    }

    /** Counts the tasks not yet done (a Phaser would stop at 65,535: long report delays at high rates hold more). */
    private static final class InFlight {
        private long count;

        synchronized void add() {
            count++;
        }

        synchronized void done() {
            if (--count == 0) {
                notifyAll();
            }
        }

        synchronized void awaitNone() throws InterruptedException {
            while (count > 0) {
                wait();
            }
        }
    }

    /** Paces a loop to at most {@code perSecond} iterations per second (0 = unlimited). */
    private static final class Pacer {
        private final long interval;
        private long next = System.nanoTime();

        Pacer(double perSecond) {
            this.interval = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
        }

        void acquire() {
            if (interval == 0) {
                return;
            }
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
            next = Math.max(next, now - 1_000_000_000L) + interval;
        }
    }

    public static final class Builder {
        private DocMnistGenerator generator;
        private StudyPlanner planner;
        private List<Split> splits = List.of(Split.VAL, Split.TRAIN, Split.TEST);
        private StowRsClient pacs;
        private DicomStudyWriter dicomWriter;
        private MllpSender hl7;
        private boolean phiHeader = true;
        private double rate;
        private Duration reportDelay = Duration.ZERO;
        private Path out;
        private Path keepDicom;
        private Pseudonyms pseudonyms;
        private PrintStream progress;
        private int imageWorkers = 2;

        private Builder() {
        }

        /** Images made and stored at the same time (DICOM creation is a process per image; default 2). */
        public Builder optImageWorkers(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("imageWorkers must be within 1..64, got " + value);
            }
            this.imageWorkers = value;
            return this;
        }

        /** The DocMNIST to turn into studies (required). */
        public Builder setGenerator(DocMnistGenerator value) {
            this.generator = Objects.requireNonNull(value, "generator");
            return this;
        }

        /** Patients, identifiers, orphans and corrections (required). */
        public Builder setPlanner(StudyPlanner value) {
            this.planner = Objects.requireNonNull(value, "planner");
            return this;
        }

        /** The splits, in this order (default VAL, TRAIN, TEST: the trainers hold their evaluation set first). */
        public Builder optSplits(List<Split> value) {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("splits must not be empty");
            }
            this.splits = List.copyOf(value);
            return this;
        }

        /** The PACS and the writer of its DICOM files; without them no image is sent. */
        public Builder optPacs(StowRsClient client, DicomStudyWriter writer) {
            this.pacs = Objects.requireNonNull(client, "pacs");
            this.dicomWriter = Objects.requireNonNull(writer, "dicomWriter");
            return this;
        }

        /** The HL7 listener's sender; without it no report is sent. */
        public Builder optHl7(MllpSender value) {
            this.hl7 = Objects.requireNonNull(value, "hl7");
            return this;
        }

        /** Plant the patient's name, MRN, birth date and phone in a header line of the report text (default true). */
        public Builder optPhiHeader(boolean value) {
            this.phiHeader = value;
            return this;
        }

        /** Studies per second (0 = as fast as possible). */
        public Builder optRate(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("rate must be 0 or more, got " + value);
            }
            this.rate = value;
            return this;
        }

        /** How long after its image a report is sent (and a correction after its FINAL report). */
        public Builder optReportDelay(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("reportDelay must not be negative, got " + value);
            }
            this.reportDelay = value;
            return this;
        }

        /** Where to write the planted values and the expected studies. */
        public Builder optOut(Path value) {
            this.out = value;
            return this;
        }

        /** Keep the DICOM files in this folder (default: deleted once sent). */
        public Builder optKeepDicom(Path value) {
            this.keepDicom = value;
            return this;
        }

        /** Writes the expected pseudonymous keys beside each study. */
        public Builder optPseudonyms(Pseudonyms value) {
            this.pseudonyms = value;
            return this;
        }

        /** A progress line every 2 s (e.g. System.err); null for none. */
        public Builder optProgress(PrintStream value) {
            this.progress = value;
            return this;
        }

        public HospitalSimulator build() {
            if (generator == null) {
                throw new IllegalStateException("generator is required");
            }
            if (planner == null) {
                throw new IllegalStateException("planner is required");
            }
            if (pacs == null && hl7 == null && out == null) {
                throw new IllegalStateException("nothing to do: give a PACS, an HL7 listener or an output folder");
            }
            return new HospitalSimulator(this);
        }
    }
}
