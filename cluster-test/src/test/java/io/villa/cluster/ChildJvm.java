package io.villa.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started by the test, its stdout and stderr going to one file under target/ (kept for debugging).
 * {@link #close()} ends it (SIGTERM, then SIGKILL) with any processes it started.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} in {@code workDir}. */
    static ChildJvm start(
            String name,
            List<String> jvmArgs,
            List<Path> classpath,
            String mainClass,
            List<String> args,
            Path workDir,
            Path log,
            Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(String.join(
                java.io.File.pathSeparator,
                classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new ChildJvm(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * {@code villa <args>} (the cli's main class) in its own JVM with the test's class path, as the villa script starts
     * it, logging to {@code workDir/<name>.log}.
     */
    static ChildJvm villa(String name, List<String> jvmArgs, List<String> args, Path workDir) {
        List<Path> classpath = java.util.Arrays.stream(
                        System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of)
                .toList();
        return start(
                name,
                jvmArgs,
                classpath,
                io.villa.cli.VillaCommand.class.getName(),
                args,
                workDir,
                workDir.resolve(name + ".log"),
                Map.of());
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Everything it printed so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines it printed, for failure messages. */
    String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits for the process to end; its exit code, or null if it still ran after {@code timeout}. */
    Integer await(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Fails with the end of its output if the process has ended. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with code " + process.exitValue() + " (log " + log
                    + "); its last lines:\n" + tail(60));
        }
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()}): no shutdown hook runs, nothing is flushed or closed, as when the
     * machine or the OOM killer takes the process. Returns once the process is gone.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") still ran 30 s after SIGKILL");
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.toHandle().destroy(); // SIGTERM: Flink and `villa broker` shut down through their hooks
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
