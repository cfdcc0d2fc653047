package io.villa.cli.demo;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.trainer.service.TrainerRun;
import io.villa.trainer.service.TrainingService;

/** One trainer running on its own thread inside the demo, and how it ended. */
final class TrainerStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerStage.class);

    private final String mode;
    private final String modelId;
    private final TrainerRun run;
    private final Thread thread;
    private volatile TrainingService.Outcome outcome;

    private TrainerStage(String mode, String modelId, TrainerRun run) {
        this.mode = mode;
        this.modelId = modelId;
        this.run = run;
        this.thread = new Thread(this::train, "trainer-" + mode);
    }

    static TrainerStage start(String mode, String modelId, TrainerRun run) {
        TrainerStage stage = new TrainerStage(mode, modelId, run);
        stage.thread.start();
        return stage;
    }

    private void train() {
        try {
            outcome = run.train();
        } catch (Exception | Error e) {
            LOG.error("trainer {} failed", modelId, e);
        }
    }

    TrainingService service() {
        return run.service();
    }

    boolean done() {
        return !thread.isAlive();
    }

    /** Waits up to {@code timeout} for the trainer's thread; true when it ended. */
    boolean await(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return done();
    }

    DemoSummary.TrainerResult result() {
        return new DemoSummary.TrainerResult(mode, modelId, Optional.ofNullable(outcome));
    }

    /** Closes the trainer's model and Kafka clients; its thread must have ended (else it is left to end alone). */
    @Override
    public void close() {
        if (done()) {
            run.close();
        } else {
            LOG.warn("trainer {} still running at close; its clients are left open", modelId);
        }
    }
}
