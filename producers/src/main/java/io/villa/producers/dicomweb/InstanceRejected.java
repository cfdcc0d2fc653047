package io.villa.producers.dicomweb;

/**
 * Why one instance cannot become a StudyImage: it goes to the dead-letter topic with this reason. The message names
 * the problem and never quotes a DICOM value (names, ids, UIDs, comments).
 */
public final class InstanceRejected extends Exception {

    public enum Reason {
        NO_ACCESSION_NUMBER, NO_SOP_INSTANCE_UID, BURNED_IN_ANNOTATION, NOT_AN_IMAGE, IMAGE_TOO_LARGE, UNRENDERABLE_IMAGE,
        BAD_SIMULATOR_TRUTH, SERVER_REFUSED
    }

    private final Reason reason;

    public InstanceRejected(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public InstanceRejected(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
