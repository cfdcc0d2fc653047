package io.villa.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.villa.cli.VillaCommand;

/**
 * {@code villa broker} (the cli module's single-node KRaft broker) in its own JVM, the way a user runs it: started
 * with the test class path, its bootstrap address read from the {@code bootstrap: host:port} line it prints.
 */
final class BrokerJvm implements AutoCloseable {

    private final ChildJvm process;
    private final String bootstrap;

    private BrokerJvm(ChildJvm process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** A broker on a free port, its data under {@code home}/data. */
    static BrokerJvm start(Path home, Duration timeout) throws InterruptedException {
        return start(home, 0, "broker.log", timeout);
    }

    /**
     * A broker on {@code port} (0: a free one) with its data under {@code home}/data: started again on the same port and
     * home, it is the same broker with the same records (a restart). Each start logs to its own file under home.
     */
    static BrokerJvm start(Path home, int port, String logName, Duration timeout) throws InterruptedException {
        List<Path> classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).toList();
        ChildJvm process = ChildJvm.start("kafka-broker", List.of("-Xmx512m"), classpath, VillaCommand.class.getName(),
                List.of("broker", "--port", String.valueOf(port), "--partitions", "1", "--data-dir", home.resolve("data").toString()),
                home, home.resolve(logName), Map.of());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                process.assertAlive();
                String found = process.output().lines().filter(l -> l.startsWith("bootstrap: ")).findFirst()
                        .map(l -> l.substring("bootstrap: ".length()).trim()).orElse(null);
                if (found != null) {
                    return new BrokerJvm(process, found);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("villa broker printed no bootstrap address within " + timeout + "; its output:\n" + process.tail(40));
        } catch (RuntimeException | Error | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    ChildJvm process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
