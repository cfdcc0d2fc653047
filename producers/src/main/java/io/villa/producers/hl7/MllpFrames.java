package io.villa.producers.hl7;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * MLLP framing (HL7's Minimal Lower Layer Protocol): a message is {@code 0x0B}, its bytes, {@code 0x1C 0x0D}. The
 * reader here has a size limit, which HAPI's MLLP reader does not: a sender that never ends a frame, or sends a huge
 * one, costs at most the limit in memory; the rest of an oversized frame is read and dropped so the connection stays
 * in step and the sender gets its reject ACK.
 */
public final class MllpFrames {

    public static final int START = 0x0B;
    public static final int END = 0x1C;
    public static final int CARRIAGE_RETURN = 0x0D;

    /** The frame limit the listener and its handler take unless told otherwise. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;
    /** The smallest frame limit either takes: below it not even a message header fits. */
    public static final int MIN_MAX_MESSAGE_BYTES = 64;

    private MllpFrames() {}

    /**
     * One frame from the stream.
     *
     * @param data   its bytes; null when it was larger than the limit
     * @param length its length in bytes (also when it was dropped)
     */
    public record Frame(byte[] data, long length) {
        public boolean oversized() {
            return data == null;
        }
    }

    /**
     * {@code bytes} as a frame limit: the listener cuts frames at it and the handler names it when it rejects one, so
     * both check it by this one rule.
     *
     * @throws IllegalArgumentException naming {@code maxMessageBytes} and the value, when it is below the minimum
     */
    public static int checkMaxMessageBytes(int bytes) {
        if (bytes < MIN_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(
                    "maxMessageBytes: " + bytes + " is below " + MIN_MAX_MESSAGE_BYTES + " bytes");
        }
        return bytes;
    }

    /**
     * Reads the next frame; bytes before its start byte (line noise, keep-alive newlines) are skipped.
     *
     * @return the frame, or null at the end of the stream (a frame cut off by the end is dropped: it was never ACKed)
     */
    public static Frame read(InputStream in, int maxBytes) throws IOException {
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return null;
            }
        } while (b != START);
        ByteArrayOutputStream data = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        long length = 0;
        boolean oversized = false;
        while (true) {
            b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == END) {
                int next = in.read();
                if (next < 0) {
                    return null;
                }
                if (next == CARRIAGE_RETURN) {
                    return new Frame(oversized ? null : data.toByteArray(), length);
                }
                // a 0x1C inside the data: keep both bytes
                length += 2;
                if (!oversized && length <= maxBytes) {
                    data.write(END);
                    data.write(next);
                } else {
                    oversized = true;
                }
                continue;
            }
            length++;
            if (!oversized && length <= maxBytes) {
                data.write(b);
            } else if (!oversized) {
                oversized = true;
                data = new ByteArrayOutputStream(0);
            }
        }
    }

    /** Writes one framed message and flushes. */
    public static void write(OutputStream out, byte[] message) throws IOException {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CARRIAGE_RETURN;
        out.write(framed);
        out.flush();
    }
}
