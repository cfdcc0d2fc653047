package io.villa.cli.commands;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One JSON line per record, for people to read. Bytes (pixels, original values of dead letters) are never
 * printed: each becomes {@code {"bytes": N}}.
 */
final class RecordJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private RecordJson() {
    }

    static String toJson(IndexedRecord record) {
        try {
            return JSON.writeValueAsString(plain(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a " + record.getSchema().getName(), e);
        }
    }

    /** Avro values as maps, lists and scalars, with bytes replaced by their length. */
    static Object plain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                fields.put(field.name(), plain(record.get(field.pos())));
            }
            return fields;
        }
        if (value instanceof ByteBuffer bytes) {
            return Map.of("bytes", bytes.remaining());
        }
        if (value instanceof byte[] bytes) {
            return Map.of("bytes", bytes.length);
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(plain(item)));
            return items;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), plain(v)));
            return entries;
        }
        if (value instanceof Enum<?> || value instanceof CharSequence) {
            return value.toString();
        }
        return value;
    }
}
