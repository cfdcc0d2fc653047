package io.villa.schemas;

import java.lang.reflect.Method;

import org.apache.avro.SystemLimitException;

/**
 * Caps the lengths that Avro believes from a record's own length prefixes. Without a cap, a ten-byte record
 * whose array or string prefix says two billion makes the decoder allocate that much before it finds out the
 * bytes are not there: an {@link OutOfMemoryError} instead of a dead letter.
 *
 * <p>Avro reads its limits ({@code org.apache.avro.limits.*} system properties) once, when its
 * {@link SystemLimitException} class loads. {@link #ensure()} sets our defaults where the user set none and
 * makes Avro read them again, so the caps hold however early something else touched Avro. The limits are
 * process-wide; a user who sets the properties on the command line keeps theirs.
 */
public final class AvroLimits {

    /** Longest string or bytes field: above any record a Kafka topic of ours accepts (8 MiB by default). */
    public static final int DEFAULT_MAX_LENGTH = 16 * 1024 * 1024;
    /** Most items in one array or map: our largest legitimate collections (boxes, scores) hold hundreds. */
    public static final int DEFAULT_MAX_ITEMS = 100_000;

    private static volatile boolean applied;

    private AvroLimits() {
    }

    /** Applies the caps once per class loader (idempotent, cheap after the first call). */
    public static void ensure() {
        if (applied) {
            return;
        }
        synchronized (AvroLimits.class) {
            if (applied) {
                return;
            }
            setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
            setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
            setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, DEFAULT_MAX_ITEMS);
            reload();
            applied = true;
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    /** Avro's own (package-private) re-read of the properties; its class may have loaded before we set them. */
    private static void reload() {
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the properties were set before first use in the usual case; a check below says if they were not
        }
        try {
            SystemLimitException.checkMaxCollectionLength(Long.parseLong(
                    System.getProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY)) + 1L);
            throw new IllegalStateException("Avro's length limits could not be applied");
        } catch (SystemLimitException expected) {
            // the cap is in force
        }
    }
}
