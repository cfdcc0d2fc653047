package io.villa.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.villa.cli.VillaCommand;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * villa demo: the whole system on one machine. An embedded Kafka broker, then the same stages an operator
 * runs one by one (produce, decompose, train), each bounded so the run ends with a report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole system in this process: an embedded Kafka broker (KRaft), DocMNIST produced to it,",
                "the decomposition job in a local Flink MiniCluster, then the trainer on the region-attribute topic.",
                "Output (Flink and trainer checkpoints, evaluation) goes to runs/<time>/."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--complexity", defaultValue = "16", description = "DocMNIST target sample complexity (default ${DEFAULT-VALUE})")
    int complexity;

    @Option(names = "--train-budget", defaultValue = "30000", description = "train attribute budget (default ${DEFAULT-VALUE})")
    int trainBudget;

    @Option(names = "--val-budget", defaultValue = "10000", description = "validation attribute budget (default ${DEFAULT-VALUE})")
    int valBudget;

    @Option(names = "--test-budget", defaultValue = "5000", description = "test attribute budget (default ${DEFAULT-VALUE})")
    int testBudget;

    @Option(names = "--mode", defaultValue = "villa", description = "trainer mode: villa or clip (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--train-steps", defaultValue = "1500", description = "trainer steps (default ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--warmup-pairs", defaultValue = "512",
            description = "train pairs the mapping model learns from before it decomposes anything (default ${DEFAULT-VALUE})")
    int warmupPairs;

    @Option(names = "--seed", defaultValue = "42", description = "random seed of data and models (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "output directory (default runs/<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path runDir = out != null ? out
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start().createTopics(TopicNames.defaults(), 1)) {
            String bootstrap = broker.bootstrapServers();
            System.out.println("[1/3] embedded Kafka broker at " + bootstrap + "; producing DocMNIST (complexity "
                    + complexity + ")");
            int produced = stage("produce", "docmnist", "--bootstrap", bootstrap, "--complexity", String.valueOf(complexity),
                    "--train-budget", String.valueOf(trainBudget), "--val-budget", String.valueOf(valBudget),
                    "--test-budget", String.valueOf(testBudget), "--seed", String.valueOf(seed), "--no-progress");
            if (produced != 0) {
                return produced;
            }
            System.out.println("[2/3] decomposing in a local Flink MiniCluster (learns the mapping model online)");
            int decomposed = stage("decompose", "--bootstrap", bootstrap, "--bounded",
                    "--warmup-pairs", String.valueOf(warmupPairs),
                    "--checkpoint-dir", runDir.resolve("flink-checkpoints").toAbsolutePath().toUri().toString());
            if (decomposed != 0) {
                return decomposed;
            }
            System.out.println("[3/3] training the " + mode + " model from the region-attribute topic");
            return stage("train", "--bootstrap", bootstrap, "--mode", mode, "--max-steps", String.valueOf(trainSteps),
                    "--idle-stop", "15", "--seed", String.valueOf(seed), "--no-progress",
                    "--checkpoint-dir", runDir.resolve("trainer").toString());
        } finally {
            System.out.println("run directory: " + runDir.toAbsolutePath());
        }
    }

    private static int stage(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        CommandLine villa = VillaCommand.commandLine();
        int exit = villa.execute(command.toArray(String[]::new));
        if (exit != 0) {
            System.err.println("villa demo: stage '" + String.join(" ", command.subList(0, 1)) + "' ended with exit code " + exit);
        }
        return exit;
    }
}
