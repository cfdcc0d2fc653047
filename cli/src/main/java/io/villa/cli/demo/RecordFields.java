package io.villa.cli.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * Reads a few fields of one of our single-object encoded records and skips the rest (pixels, report text)
 * without building them: the monitor counts every record of the pipeline's topics, so it decodes only what
 * a count needs. Thread-safe, like Avro's message decoder.
 */
final class RecordFields {

    private final BinaryMessageDecoder<GenericRecord> decoder;

    /**
     * @param writer the record's schema as the pipeline writes it
     * @param fields the fields to read, by name; the others are skipped
     */
    RecordFields(Schema writer, String... fields) {
        List<Schema.Field> kept = new ArrayList<>();
        for (String name : fields) {
            Schema.Field f = writer.getField(name);
            if (f == null) {
                throw new IllegalArgumentException(writer.getName() + " has no field " + name);
            }
            kept.add(new Schema.Field(f, f.schema()));
        }
        // same full name as the writer's, so Avro resolves the writer's bytes against this projection
        Schema projection = Schema.createRecord(writer.getName(), null, writer.getNamespace(), false, kept);
        this.decoder = new BinaryMessageDecoder<>(GenericData.get(), projection);
        this.decoder.addSchema(writer);
    }

    /** The projected record, or null when the bytes are not a record of the writer's schema. */
    GenericRecord read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return decoder.decode(bytes);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            return null;
        }
    }

    /** A string (or enum) field as a String, null when absent. */
    static String text(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }
}
