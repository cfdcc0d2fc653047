package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.villa.flink.DecomposeJob;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;

/**
 * Crash scenario 1: the TaskManager JVM of a Flink session cluster is killed (SIGKILL) while the decomposition job runs
 * and pairs keep arriving; a new TaskManager is started, and the JobManager restores the job from its last checkpoint
 * (the job's restart strategy, from --restart-attempts, must allow it). Downstream, read_committed: every pair sent
 * decomposed exactly once.
 */
@Tag(FaultSuite.TAG)
class TaskManagerCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerCrashIT.class);
    private static final String SCENARIO = "crash-taskmanager";

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aKilledTaskManagerIsReplacedAndTheJobResumesFromItsLastCheckpointExactlyOnce() throws Exception {
        Path basedir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path jobJar = Path.of(System.getProperty(
                        "villa.job.jar",
                        basedir.resolve("../flink-jobs/target/villa-flink-job.jar")
                                .toString()))
                .toAbsolutePath()
                .normalize();
        assertThat(jobJar)
                .as("the shaded job jar (the reactor build packages flink-jobs first)")
                .isRegularFile();
        Path work = FaultSuite.workDir(SCENARIO);
        List<Path> classpath = FlinkDistClasspath.resolve(
                Path.of(System.getProperty(
                        "villa.dependency.tree",
                        basedir.resolve("target/dependency-tree.txt").toString())),
                Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        TopicNames topics = FaultSuite.topics(SCENARIO);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                // heartbeats every second: the JobManager notices a lost TaskManager within seconds, not the default 50
                // s
                FlinkSessionCluster flink = FlinkSessionCluster.start(
                        work.resolve("flink"),
                        classpath,
                        2,
                        Map.of("heartbeat.interval", "1000", "heartbeat.timeout", "10000"))) {
            broker.createTopics(topics, 1);
            flink.awaitTaskManager(Duration.ofSeconds(120), 1);
            FlinkSessionCluster.Submission submission = flink.submitDetached(
                    jobJar,
                    DecomposeJob.class.getName(),
                    FaultSuite.jobArgs(broker.bootstrapServers(), SCENARIO, work.resolve("checkpoints")),
                    Duration.ofMinutes(2));
            assertThat(submission.exitCode())
                    .as("flink run -d; its output:\n%s", submission.output())
                    .isZero();
            String jobId = submission.jobId();
            assertThat(jobId)
                    .as("job id printed by flink run -d:\n%s", submission.output())
                    .isNotNull();
            long[] killedPid = new long[1];

            StreamingCrash.Outcome outcome = StreamingCrash.run(
                    broker.settings(),
                    topics,
                    11,
                    () -> assertRunning(flink, jobId),
                    () -> {
                        killedPid[0] = flink.taskManager().pid();
                        flink.killTaskManager();
                    },
                    flink::startAnotherTaskManager);

            // the JobManager saw the failure and restored the job from a checkpoint, and the job runs on
            JsonNode restored =
                    flink.get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
            JsonNode failures = flink.get("/jobs/" + jobId + "/exceptions")
                    .path("exceptionHistory")
                    .path("entries");
            String state = flink.get("/jobs/" + jobId).path("state").asText();
            flink.cancel(jobId, Duration.ofSeconds(60));
            CrashAudit audit = CrashAudit.of(outcome.sent(), RegionOutputs.read(broker.settings(), topics));
            String notes = String.format(
                    "TaskManager pid %d killed, a new one started; job restored from checkpoint %s after %d failure(s)",
                    killedPid[0], restored.path("id").asText("none"), failures.size());
            CrashTable.record(1, "SIGKILL of the TaskManager JVM (session cluster)", audit, outcome.resumed(), notes);
            LOG.info("{}", notes);

            assertThat(outcome.sendFailures())
                    .as("pairs the broker did not acknowledge")
                    .isEmpty();
            assertThat(state).as("the job after the TaskManager was replaced").isEqualTo("RUNNING");
            assertThat(failures.size())
                    .as("failures the JobManager recorded (the lost TaskManager)")
                    .isPositive();
            assertThat(restored.isObject())
                    .as("the job restored from a checkpoint: %s", restored)
                    .isTrue();
            assertThat(restored.path("is_savepoint").asBoolean()).isFalse();
            assertThat(outcome.resumed())
                    .as("committed output grew again after the kill")
                    .isPresent();
            audit.assertExactlyOnce();
        }
    }

    private static void assertRunning(FlinkSessionCluster flink, String jobId) {
        String state = flink.get("/jobs/" + jobId).path("state").asText();
        if (!state.equals("RUNNING")
                && !state.equals("RESTARTING")
                && !state.equals("CREATED")
                && !state.equals("INITIALIZING")) {
            throw new AssertionError("job " + jobId + " is " + state + "; TaskManager:\n"
                    + flink.taskManager().tail(40));
        }
    }
}
