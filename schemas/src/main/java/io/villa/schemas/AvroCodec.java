package io.villa.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one encoder/decoder pair for our records, used by Kafka clients and Flink alike.
 *
 * <p>Values use Avro's single-object encoding: a two-byte marker, the 64-bit fingerprint of the
 * writer's schema, then the Avro binary body. A reader resolves any writer schema it has been told
 * about ({@link #addWriterSchema}), so records can evolve without a registry server.
 *
 * <p>Instances are thread-safe (Avro's message encoder and decoder are).
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Header of Avro single-object encoding: marker (2 bytes) + CRC-64-AVRO fingerprint (8 bytes). */
    private static final int HEADER_LENGTH = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type, Schema readerSchema) {
        AvroLimits.ensure(); // before any record is read: lying length prefixes fail fast, not with an OOM
        this.type = type;
        this.schema = readerSchema;
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        this.decoder = new BinaryMessageDecoder<>(model, readerSchema);
    }

    /** A codec that writes and reads {@code type} with the schema compiled into it. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, SpecificData.get().getSchema(type));
    }

    /** Lets this codec read bytes written with an older (or newer) compatible schema. */
    public AvroCodec<T> addWriterSchema(Schema writerSchema) {
        decoder.addSchema(writerSchema);
        return this;
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** The fingerprint that prefixes every record this codec writes. */
    public long fingerprint() {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        try {
            ByteBuffer buffer = encoder.encode(record);
            return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                    buffer.arrayOffset() + buffer.limit());
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Reads one record.
     *
     * @throws RecordDecodingException when the bytes are not a {@code T}; the message says why
     */
    public T decode(byte[] bytes) {
        String what = type.getSimpleName();
        if (bytes == null) {
            throw new RecordDecodingException("no bytes: a null value is not a " + what);
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new RecordDecodingException("truncated: " + bytes.length + " bytes is shorter than the "
                    + HEADER_LENGTH + "-byte single-object header of a " + what);
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException("not Avro single-object encoded (bad marker bytes), so not a " + what, e);
        } catch (MissingSchemaException e) {
            throw new RecordDecodingException("unknown writer schema fingerprint " + fingerprintOf(bytes)
                    + ": not a " + what + " schema this reader knows", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | UnsupportedOperationException e) { // Avro: "Cannot read strings longer than ..." for prefixes past 2^31
            throw new RecordDecodingException("corrupt or truncated " + what + " body: " + e.getMessage(), e);
        }
    }

    private static String fingerprintOf(byte[] bytes) {
        long fp = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return String.format("%016x", fp);
    }
}
