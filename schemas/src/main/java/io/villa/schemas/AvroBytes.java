package io.villa.schemas;

import java.nio.ByteBuffer;

/** Avro's {@code bytes} fields are {@link ByteBuffer}s; this is the one way the stages take them out as an array. */
public final class AvroBytes {

    private AvroBytes() {}

    /**
     * The buffer's remaining bytes, copied, its position left where it was: a record's field stays readable, and a
     * second reader (a dead letter, the gallery) still finds every byte.
     */
    public static byte[] copyOf(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
