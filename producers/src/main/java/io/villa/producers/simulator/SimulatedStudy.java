package io.villa.producers.simulator;

import java.time.LocalDateTime;
import java.util.Objects;

import io.villa.producers.docmnist.DocMnistSample;

/**
 * One DocMNIST image turned into a hospital study: a made-up patient, the study's identifiers, and what is sent.
 *
 * @param viewPosition        DICOM ViewPosition (PA or AP)
 * @param studyDateTime       when the made-up study was taken (DICOM StudyDate/StudyTime, HL7 OBR-7)
 * @param corrected           a FINAL report is followed by a CORRECTED one (new MSH-10); the FINAL one then lacks the
 *                            last sentence, so the corrected text is the one that matches the ground truth
 * @param finalControlId      MSH-10 of the FINAL report
 * @param correctedControlId  MSH-10 of the CORRECTED report, null when not corrected
 */
public record SimulatedStudy(DocMnistSample sample, FakePatient patient, String accessionNumber, String studyInstanceUid,
                             String seriesInstanceUid, String sopInstanceUid, String viewPosition,
                             LocalDateTime studyDateTime, StudyKind kind, boolean corrected, String finalControlId,
                             String correctedControlId) {

    public SimulatedStudy {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(accessionNumber, "accessionNumber");
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(viewPosition, "viewPosition");
        Objects.requireNonNull(studyDateTime, "studyDateTime");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(finalControlId, "finalControlId");
        if (corrected != (correctedControlId != null)) {
            throw new IllegalArgumentException("correctedControlId must be set exactly when the study is corrected");
        }
        if (corrected && !kind.hasReport()) {
            throw new IllegalArgumentException("a study without a report cannot have a corrected one");
        }
    }

    public String pairId() {
        return sample.pairId();
    }

    /** The report text of the FINAL message: without its last sentence when a correction follows. */
    public String finalReportText() {
        if (!corrected) {
            return sample.report();
        }
        String report = sample.report();
        int cut = report.lastIndexOf(io.villa.producers.docmnist.DocMnistVocabulary.SENTENCE_SEPARATOR);
        return cut > 0 ? report.substring(0, cut) : report + " (preliminary wording)";
    }

    /** The report text of the CORRECTED message: DocMNIST's report, unchanged. */
    public String correctedReportText() {
        return sample.report();
    }
}
