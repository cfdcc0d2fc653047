package io.villa.flink.io;

import java.nio.charset.StandardCharsets;

/** An encoded output record (Avro single-object bytes) with its Kafka key. Flink POJO. */
public class KeyedBytes {

    public byte[] key;
    public byte[] value;

    public KeyedBytes() {
    }

    public KeyedBytes(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    public static KeyedBytes of(String key, byte[] value) {
        return new KeyedBytes(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }
}
