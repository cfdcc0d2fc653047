package io.villa.cli.commands;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** villa broker: a standalone embedded Kafka broker (KRaft) until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, no ZooKeeper) in this process until Ctrl-C.",
            "Prints its bootstrap address. With --data-dir its records survive restarts."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "client port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--data-dir",
            description = "keep the broker's data here across restarts (default: a temporary directory)")
    Path dataDir;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "partitions of the ViLLA topics it creates (default ${DEFAULT-VALUE})")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder().port(port).defaultPartitions(partitions);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        EmbeddedKafkaBroker broker = builder.start().createTopics(TopicNames.defaults(), partitions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("stopping broker ...");
                            broker.close();
                            stopped.countDown();
                        },
                        "broker-shutdown"));
        System.out.println("bootstrap: " + broker.bootstrapServers());
        System.out.println("data: " + broker.dataDir() + (dataDir == null ? " (temporary)" : ""));
        System.out.println("topics: " + String.join(", ", TopicNames.defaults().all()));
        // the start-up figure of BENCHMARKS.md: JVM start until clients can use the broker and its topics
        System.out.println("ready: " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms after JVM start");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
