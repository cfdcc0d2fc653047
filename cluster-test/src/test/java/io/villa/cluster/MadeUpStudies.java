package io.villa.cluster;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.villa.deid.Pseudonyms;
import io.villa.flink.join.StudyJoin;
import io.villa.producers.dicomweb.Dcmtk;

/**
 * Made-up chest studies for the hospital-feed kill test: study {@code s} (from 1) has one image when {@code s} is
 * even and two (frontal, lateral) when odd, each a small DCMTK-written DX instance, and one FINAL ORU^R01 report.
 * Knows the keys the feeds must write under a pseudonym key: instance keys, message keys and pair ids.
 */
final class MadeUpStudies {

    /** One DICOM instance: its study number, SOP instance UID and file. */
    record Instance(int study, String sopInstanceUid, Path file) {}

    /** img2dcm and dcmodify processes at once. */
    private static final int WRITERS = 3;

    private final int studies;
    private final List<Instance> instances = new ArrayList<>();

    private MadeUpStudies(int studies) {
        this.studies = studies;
    }

    /** Writes the DICOM files of {@code studies} studies under {@code dir} (needs DCMTK; a few img2dcm processes at once). */
    static MadeUpStudies write(int studies, Path dir) throws InterruptedException {
        MadeUpStudies made = new MadeUpStudies(studies);
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.getRaster().setSample(x, y, 0, (x * 7 + y * 5) % 256);
            }
        }
        List<Callable<Instance>> writes = new ArrayList<>();
        for (int s = 1; s <= studies; s++) {
            for (int i = 0; i < imagesOf(s); i++) {
                int study = s;
                int index = i;
                writes.add(() -> writeInstance(dir, study, index, image));
            }
        }
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            for (Future<Instance> write : writers.invokeAll(writes)) {
                made.instances.add(write.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the DICOM files", e.getCause());
        } finally {
            writers.shutdownNow();
        }
        return made;
    }

    private static Instance writeInstance(Path dir, int s, int i, BufferedImage image) {
        String sop = seriesUid(s) + "." + (i + 1);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("PatientName", "KILLTEST^Patient" + s);
        tags.put("PatientID", "MRN" + (8_800_000 + s));
        tags.put("AccessionNumber", accession(s));
        tags.put("StudyInstanceUID", studyUid(s));
        tags.put("SeriesInstanceUID", seriesUid(s));
        tags.put("SOPInstanceUID", sop);
        tags.put("Modality", "DX");
        tags.put("ViewPosition", i == 0 ? "PA" : "LL");
        tags.put("InstanceNumber", String.valueOf(i + 1));
        return new Instance(s, sop, Dcmtk.grey8(dir, "study" + s + "-" + i, image, tags));
    }

    static int imagesOf(int study) {
        return study % 2 == 0 ? 1 : 2;
    }

    int studies() {
        return studies;
    }

    List<Instance> instances() {
        return instances;
    }

    /** Study {@code s}'s FINAL ORU^R01 (segments separated by CR), MSH-10 {@link #controlId}. */
    String report(int s) {
        return String.join(
                        "\r",
                        "MSH|^~\\&|RIS|KILLTEST HOSPITAL|VILLA|RESEARCH|20310506143500||ORU^R01^ORU_R01|" + controlId(s)
                                + "|P|2.5.1",
                        "PID|1||MRN" + (8_800_000 + s) + "^^^KH^MR||KILLTEST^Patient" + s + "||19600101|F",
                        "OBR|1|ORD" + (6_600_000 + s) + "|" + accession(s) + "|71046^CHEST 2 VIEWS|||20310506143000"
                                + "|||||||||||||||20310506150000|||F",
                        "OBX|1|TX|IMP||FINDINGS: study " + s + ", no acute disease.||||||F")
                + "\r";
    }

    /** The instance keys the follower must write, one per instance. */
    List<String> instanceKeys(Pseudonyms pseudonyms) {
        return instances.stream()
                .map(i -> pseudonyms.of("instance", i.sopInstanceUid()))
                .toList();
    }

    /** The message keys the listener must write, one per study's report. */
    List<String> messageKeys(Pseudonyms pseudonyms) {
        List<String> keys = new ArrayList<>();
        for (int s = 1; s <= studies; s++) {
            keys.add(messageKey(pseudonyms, s));
        }
        return keys;
    }

    static String messageKey(Pseudonyms pseudonyms, int study) {
        return pseudonyms.of("message", controlId(study));
    }

    /** The pair ids the join must write: one per image, version 1 (one report per study). */
    List<String> pairIds(Pseudonyms pseudonyms) {
        return instances.stream()
                .map(i -> StudyJoin.pairId(
                        pseudonyms.of("accession", accession(i.study())),
                        pseudonyms.of("instance", i.sopInstanceUid()),
                        1))
                .toList();
    }

    private static String controlId(int s) {
        return "KMSG" + (5_500_000 + s);
    }

    private static String accession(int s) {
        return "KACC" + (7_700_000 + s);
    }

    private static String studyUid(int s) {
        return "1.2.826.0.1.3680043.9.7714.9" + s;
    }

    private static String seriesUid(int s) {
        return studyUid(s) + ".1";
    }
}
