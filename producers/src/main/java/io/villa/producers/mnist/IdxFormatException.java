package io.villa.producers.mnist;

/** An IDX file that is not what its header promises: wrong magic number, bad dimensions, or truncated. */
public final class IdxFormatException extends RuntimeException {

    public IdxFormatException(String message) {
        super(message);
    }
}
