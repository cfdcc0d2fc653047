package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code villa broker} run as a separate JVM, the way a user runs it, with its output kept for assertions. */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final String bootstrap;

    private BrokerProcess(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VillaCommand.class.getName(), "broker"));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String found = null;
        String line;
        while (found == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
            output.add(line);
            if (line.startsWith("bootstrap: ")) {
                found = line.substring("bootstrap: ".length()).trim();
            }
        }
        bootstrap = found;
        Thread drain = new Thread(() -> out.lines().forEach(output::add), "broker-output");
        drain.setDaemon(true);
        drain.start();
        if (bootstrap == null) {
            process.destroyForcibly();
            throw new AssertionError("villa broker printed no bootstrap address; its output:\n" + String.join("\n", output));
        }
    }

    static BrokerProcess start(String... args) throws IOException {
        return new BrokerProcess(List.of(args));
    }

    String bootstrap() {
        return bootstrap;
    }

    /** The value of a "name: value" line the broker printed at start, e.g. "data". */
    String printed(String name) {
        synchronized (output) {
            return output.stream().filter(l -> l.startsWith(name + ": ")).findFirst()
                    .map(l -> l.substring(name.length() + 2)).orElse(null);
        }
    }

    /** SIGTERM, which runs the same shutdown hook as Ctrl-C; asserts the broker stopped cleanly. */
    void stop() throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of its output, losing its last lines
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("broker stopped within a minute").isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && output.stream().noneMatch(l -> l.contains("stopped"))) {
            Thread.sleep(50);
        }
        assertThat(List.copyOf(output)).as("broker output").anyMatch(l -> l.contains("Kafka broker at " + bootstrap + " stopped"));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
