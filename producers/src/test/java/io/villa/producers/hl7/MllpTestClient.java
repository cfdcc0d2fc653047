package io.villa.producers.hl7;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw-socket MLLP sender for tests: sends one framed message and waits for the framed answer. */
final class MllpTestClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    MllpTestClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The answer, or an IOException when the connection ends first. */
    String send(String message) throws IOException {
        return send(message.getBytes(StandardCharsets.UTF_8));
    }

    String send(byte[] message) throws IOException {
        MllpFrames.write(out, message);
        MllpFrames.Frame answer = MllpFrames.read(in, 1_000_000);
        if (answer == null) {
            throw new IOException("connection closed before the ACK");
        }
        return new String(answer.data(), StandardCharsets.UTF_8);
    }

    /** MSA-1 of an ACK. */
    static String ackCode(String ack) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("MSA|")) {
                return segment.split("\\|", -1)[1];
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
