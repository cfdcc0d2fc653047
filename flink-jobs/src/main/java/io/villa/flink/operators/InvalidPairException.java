package io.villa.flink.operators;

/** A pair that cannot be decomposed, with the reason: it becomes a dead letter. */
public final class InvalidPairException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidPairException(String message) {
        super(message);
    }
}
