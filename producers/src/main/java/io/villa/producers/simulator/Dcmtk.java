package io.villa.producers.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a DCMTK program (Debian package {@code dcmtk}) as a process, with a time limit and its output kept short. */
public final class Dcmtk {

    private static final long TIMEOUT_S = 60;
    private static final int MAX_OUTPUT = 4_000;

    private Dcmtk() {
    }

    /** True when {@code program --version} runs (e.g. {@code img2dcm}, {@code dcmdump}). */
    public static boolean available(String program) {
        try {
            run(List.of(program, "--version"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs the command and returns its standard output and error together.
     *
     * @throws IOException when it cannot start, runs past the time limit or exits with a non-zero status (the message
     *                     holds the start of its output)
     */
    public static String run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " cannot be started (is the Debian package dcmtk installed?): "
                    + e.getMessage(), e);
        }
        process.getOutputStream().close();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = readLimited(in);
        }
        try {
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with status " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }

    /** Reads everything (so the process never blocks on a full pipe) but keeps the first {@value #MAX_OUTPUT} bytes. */
    private static String readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int room = MAX_OUTPUT - kept.size();
            if (room > 0) {
                kept.write(buffer, 0, Math.min(room, n));
            }
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
