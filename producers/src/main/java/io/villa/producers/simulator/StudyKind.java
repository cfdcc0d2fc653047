package io.villa.producers.simulator;

/** What the simulated hospital sends for a study. */
public enum StudyKind {
    /** The image to the PACS, its report over HL7 later. */
    PAIRED,
    /** An orphan image: no report ever comes. */
    IMAGE_ONLY,
    /** An orphan report: the PACS never gets the image. */
    REPORT_ONLY;

    public boolean hasImage() {
        return this != REPORT_ONLY;
    }

    public boolean hasReport() {
        return this != IMAGE_ONLY;
    }
}
