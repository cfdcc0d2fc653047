package io.villa.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Sorts a failed send by whose fault it is. A record's own error (too large, cannot be serialized, refused as
 * invalid, a timestamp the topic does not take) is that record's: it goes to the dead-letter topic and the run goes
 * on. Anything else (authorisation, a fenced producer, an unsupported version, a producer in a fatal state, a
 * delivery timeout) would fail every record after it the same way, so the run stops with one message instead of
 * dead-lettering the rest. The one classifier of the producers, the HL7 listener and the dead-letter publisher.
 */
public final class KafkaErrors {

    private KafkaErrors() {}

    /** Whether {@code error} (a send's, or the future's wrapper around it) is the fault of the one record sent. */
    public static boolean isRecordError(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof RecordTooLargeException
                || e instanceof RecordBatchTooLargeException
                || e instanceof SerializationException
                || e instanceof InvalidRecordException
                || e instanceof InvalidTimestampException;
    }

    /**
     * Whether {@code error} may pass if the same send is tried again later (a broker away, a leader moving, a
     * delivery timeout). Not a record error; whether to stop or to ask again is the caller's call.
     */
    public static boolean isRetriable(Throwable error) {
        return unwrap(error) instanceof RetriableException;
    }

    /** The send's own error inside the wrappers futures add. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The error's class and message in one line (Kafka's messages name topics and settings, not record content). */
    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
