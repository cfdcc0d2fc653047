package io.villa.trainer.service;

import java.nio.file.Path;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * @param kafkaClientConfig bootstrap servers and any security settings, shared by consumer and producer
     */
    public static TrainingService.Outcome run(Properties kafkaClientConfig, TrainerSettings settings, ServiceSettings service,
                                              Path checkpointDir, String eventsTopic, String deadLetterTopic) throws Exception {
        CheckpointStore store = new CheckpointStore(checkpointDir, service.keepLast());
        try (KafkaRegionSource source = new KafkaRegionSource(kafkaClientConfig, service.topic());
             KafkaSinks sinks = new KafkaSinks(kafkaClientConfig, eventsTopic, deadLetterTopic);
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
