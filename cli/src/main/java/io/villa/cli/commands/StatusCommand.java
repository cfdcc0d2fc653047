package io.villa.cli.commands;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.villa.cli.demo.PipelineMonitor;
import io.villa.cli.demo.StatusView;
import io.villa.kafka.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** villa status: the demo's live status view, for a pipeline running anywhere (it reads Kafka only). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows a running pipeline as Kafka sees it, redrawn in place: pairs produced and decomposed,",
                "the decomposition job's lag, mapping quality, each trainer's step, loss, validation retrieval and lag,",
                "dead letters. Reads topic offsets, consumer groups and the trainer-events topic; changes nothing."})
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--decompose-group", defaultValue = "villa-decompose",
            description = "the decomposition job's consumer group (default ${DEFAULT-VALUE})")
    String decomposeGroup;

    @Option(names = "--model-id", split = ",", defaultValue = "villa-vlm",
            description = "trainer model id(s) to show, comma separated (default ${DEFAULT-VALUE})")
    List<String> modelIds;

    @Option(names = "--once", description = "print the status once and exit")
    boolean once;

    @Option(names = "--no-redraw", description = "print a new block every --interval instead of redrawing in place")
    boolean noRedraw;

    @Option(names = "--interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "seconds between blocks with --no-redraw or without a terminal (default ${DEFAULT-VALUE})")
    long intervalSeconds;

    @Override
    public Integer call() throws Exception {
        String header = "villa status | " + kafka.settings().bootstrapServers() + " | Ctrl-C to quit";
        try (PipelineMonitor monitor = new PipelineMonitor(kafka.settings(), kafka.topics(), decomposeGroup, modelIds)) {
            if (once) {
                // counts are read from the topics: once means read them to their end (bounded), not a partial first look
                StatusView.render(header, monitor.pollToEnd(StatusView.FINAL_READ)).forEach(System.out::println);
                return 0;
            }
            CountDownLatch forever = new CountDownLatch(1);
            try (StatusView view = new StatusView(monitor, System.out, !noRedraw && StatusView.terminal(),
                    Duration.ofSeconds(intervalSeconds), () -> header).start()) {
                forever.await(); // until Ctrl-C ends the JVM
            }
        }
        return 0;
    }
}
