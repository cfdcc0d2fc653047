package io.villa.trainer.service;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;

/**
 * Wires one trainer: consumer, event and dead-letter producers, checkpoint store and the service.
 * {@link #run} is what {@code villa train} calls (with a shutdown hook that lets Ctrl-C end with a
 * checkpoint); {@link #open} gives a runner that controls the trainer itself ({@code villa demo}).
 */
public final class TrainerRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerRun.class);

    private final KafkaRegionSource source;
    private final KafkaSinks sinks;
    private final TrainingService trainer;

    private TrainerRun(
            KafkaSettings kafka, TopicNames topics, TrainerConfig settings, ServiceConfig service, Path checkpointDir)
            throws IOException {
        CheckpointStore store = new CheckpointStore(checkpointDir, service.keepLast());
        this.source = new KafkaRegionSource(
                kafka, service.topic(), consumerGroup(service.modelId()), service.partitionRefreshMillis());
        this.sinks = new KafkaSinks(kafka, topics);
        this.trainer = new TrainingService(settings, service, source, store, sinks, sinks, TrainingListener.NONE);
    }

    /** The consumer group of the trainer with this model id (monitors read its lag there). */
    public static String consumerGroup(String modelId) {
        return "villa-trainer-" + modelId;
    }

    /**
     * @param kafka  bootstrap servers and pass-through settings (security ...), shared by all clients
     * @param topics service.topic() is read; trainer events and dead letters are written to theirs
     */
    public static TrainerRun open(
            KafkaSettings kafka, TopicNames topics, TrainerConfig settings, ServiceConfig service, Path checkpointDir)
            throws IOException {
        return new TrainerRun(kafka, topics, settings, service, checkpointDir);
    }

    /** The service, to stop it ({@link TrainingService#requestStop}, {@link TrainingService#stopWhenIdle}) from another thread. */
    public TrainingService service() {
        return trainer;
    }

    /** Trains until the service's limits or a stop request end it. */
    public TrainingService.Outcome train() throws Exception {
        return trainer.run();
    }

    /** One trainer until its limits, Ctrl-C (which ends with a checkpoint) or an error. */
    public static TrainingService.Outcome run(
            KafkaSettings kafka, TopicNames topics, TrainerConfig settings, ServiceConfig service, Path checkpointDir)
            throws Exception {
        try (TrainerRun run = open(kafka, topics, settings, service, checkpointDir)) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(
                    () -> {
                        LOG.info("shutdown requested: finishing the step, writing a checkpoint");
                        run.trainer.requestStop();
                        try {
                            main.join(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return run.train();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is running: it waits for us
                }
            }
        }
    }

    @Override
    public void close() {
        trainer.close();
        sinks.close();
        source.close();
    }
}
