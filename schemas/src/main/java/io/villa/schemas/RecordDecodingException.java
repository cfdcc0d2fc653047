package io.villa.schemas;

/**
 * Bytes that could not be read as the expected record: too short, not Avro single-object encoded,
 * written with a schema this reader does not know, or corrupt. The message names which.
 */
public class RecordDecodingException extends RuntimeException {

    public RecordDecodingException(String message) {
        super(message);
    }

    public RecordDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
