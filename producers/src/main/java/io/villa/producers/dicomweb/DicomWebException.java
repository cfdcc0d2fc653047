package io.villa.producers.dicomweb;

import java.io.IOException;

/**
 * A DICOMweb request that failed. The message names the request kind and the HTTP status, never a URL (URLs carry
 * UIDs). {@link #permanent()}: the server answered that this resource cannot be served (4xx other than 408/429), so
 * asking again will not help; otherwise (5xx, timeouts, connection errors) the request is worth retrying later.
 */
public final class DicomWebException extends IOException {

    private final int status;

    public DicomWebException(String message, int status) {
        super(message);
        this.status = status;
    }

    public DicomWebException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }

    public boolean permanent() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }
}
