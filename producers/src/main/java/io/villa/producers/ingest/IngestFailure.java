package io.villa.producers.ingest;

/** Why one input could not become a record. The message names the problem, never report text or pixels. */
public final class IngestFailure extends Exception {

    /** The kinds of bad input, as counted in the summary. */
    public enum Reason {
        MISSING_FILE, UNDECODABLE_IMAGE, UNSUPPORTED_IMAGE, EMPTY_REPORT, BOX_OUTSIDE_IMAGE, UNKNOWN_SPLIT, BAD_MANIFEST_ENTRY
    }

    private final Reason reason;

    public IngestFailure(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public IngestFailure(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
