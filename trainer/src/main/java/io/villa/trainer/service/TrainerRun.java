package io.villa.trainer.service;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerSettings;

/**
 * Wires one trainer process: consumer, event and dead-letter producers, checkpoint store, service,
 * and a shutdown hook that lets Ctrl-C end with a checkpoint. What {@code villa train} calls.
 */
public final class TrainerRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerRun.class);

    private TrainerRun() {
    }

    /**
     * @param kafka  bootstrap servers and pass-through settings (security ...), shared by all clients
     * @param topics service.topic() is read; trainer events and dead letters are written to theirs
     */
    public static TrainingService.Outcome run(KafkaSettings kafka, TopicNames topics, TrainerSettings settings,
                                              ServiceSettings service, Path checkpointDir) throws Exception {
        CheckpointStore store = new CheckpointStore(checkpointDir, service.keepLast());
        try (KafkaRegionSource source = new KafkaRegionSource(kafka, service.topic(), "villa-trainer-" + service.modelId());
             KafkaSinks sinks = new KafkaSinks(kafka, topics);
             TrainingService trainer = new TrainingService(settings, service, source, store, sinks, sinks, TrainingListener.NONE)) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                LOG.info("shutdown requested: finishing the step, writing a checkpoint");
                trainer.requestStop();
                try {
                    main.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return trainer.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is running: it waits for us
                }
            }
        }
    }
}
