package io.villa.producers.mnist;

/** The MNIST files are missing or damaged and could not be fetched; the message says what to do. */
public final class MnistUnavailableException extends RuntimeException {

    public MnistUnavailableException(String message) {
        super(message);
    }

    public MnistUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
