package io.villa.producers.simulator;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.SplittableRandom;

import io.villa.producers.docmnist.DocMnistSample;

/**
 * Turns DocMNIST samples into hospital studies: patient, accession number, UIDs, and whether the study is an orphan or
 * gets a corrected report. Study {@code (split, index)} depends only on the seed and the fractions, never on the order
 * of calls, so the same run always plants the same values.
 */
public final class StudyPlanner {

    private final long seed;
    private final double correctedFraction;
    private final double orphanFraction;

    /**
     * @param correctedFraction share of reported studies that get a FINAL then a CORRECTED report, 0..1
     * @param orphanFraction    share of studies that are orphans (half image without report, half report without
     *                          image), 0..1
     */
    public StudyPlanner(long seed, double correctedFraction, double orphanFraction) {
        checkFraction("correctedFraction", correctedFraction);
        checkFraction("orphanFraction", orphanFraction);
        this.seed = seed;
        this.correctedFraction = correctedFraction;
        this.orphanFraction = orphanFraction;
    }

    private static void checkFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, got " + value);
        }
    }

    public SimulatedStudy plan(DocMnistSample sample) {
        String split = sample.split().name();
        String index = Long.toString(sample.index());
        String seedText = Long.toString(seed);
        SplittableRandom random = new SplittableRandom(mix(mix(mix(seed) ^ sample.split().ordinal()) ^ sample.index()));
        FakePatient patient = PatientFactory.patient(random);
        // unique per (split, index); the random head makes accession numbers of different seeds differ
        String accession = String.format(Locale.ROOT, "A%06d%d%07d", random.nextInt(1_000_000), sample.split().ordinal(),
                sample.index());
        String viewPosition = random.nextBoolean() ? "PA" : "AP";
        LocalDateTime taken = LocalDateTime.of(2019, 1, 1, 7, 0).plusDays(random.nextInt(4 * 365))
                .plusMinutes(random.nextInt(12 * 60)).plusSeconds(random.nextInt(60));
        StudyKind kind = StudyKind.PAIRED;
        if (random.nextDouble() < orphanFraction) {
            kind = random.nextBoolean() ? StudyKind.IMAGE_ONLY : StudyKind.REPORT_ONLY;
        }
        boolean corrected = kind.hasReport() && random.nextDouble() < correctedFraction;
        String controlHead = String.format(Locale.ROOT, "SIM%010d", random.nextLong(10_000_000_000L));
        return new SimulatedStudy(sample, patient, accession,
                DicomUids.of(seedText, split, index, "study"),
                DicomUids.of(seedText, split, index, "series"),
                DicomUids.of(seedText, split, index, "instance"),
                viewPosition, taken, kind, corrected, controlHead + "F", corrected ? controlHead + "C" : null);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
