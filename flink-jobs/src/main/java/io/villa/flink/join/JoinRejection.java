package io.villa.flink.join;

/**
 * Why the join sent a record to the dead-letter topic. Its message is ours and never quotes a field of the record (no
 * report text, no pixels; keys are pseudonyms but stay out of messages too).
 */
public final class JoinRejection extends Exception {

    private static final long serialVersionUID = 1L;

    public JoinRejection(String reason) {
        super(reason, null, false, false);
    }
}
