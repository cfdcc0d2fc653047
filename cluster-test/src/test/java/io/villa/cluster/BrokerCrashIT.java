package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import picocli.CommandLine;

/**
 * Crash scenario 2: the Kafka broker ({@code villa broker} in its own JVM, with a data directory and a fixed port) is
 * killed (SIGKILL: no controlled shutdown, open transactions and unflushed state left as they are) while the
 * decomposition job runs in a local MiniCluster in this JVM and pairs keep arriving; it is started again on the same
 * port with the same data. The job and every client ride through it: every pair sent decomposed exactly once.
 */
@Tag(FaultSuite.TAG)
class BrokerCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCrashIT.class);
    private static final String SCENARIO = "crash-broker";

    private BrokerJvm broker;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aBrokerKilledAndRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        Path work = FaultSuite.workDir(SCENARIO);
        Path home = work.resolve("kafka");
        int port = freePort();
        TopicNames topics = FaultSuite.topics(SCENARIO);
        broker = BrokerJvm.start(home, port, "broker-1.log", Duration.ofSeconds(90));
        JobClient job = null;
        try {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrap());
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.createIfMissing(topics.all(), 1, (short) 1);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DecomposeJob.build(
                    env, parse(FaultSuite.jobArgs(broker.bootstrap(), SCENARIO, work.resolve("checkpoints"))));
            JobClient running = env.executeAsync("villa-decompose");
            job = running;
            long killedPid = broker.process().pid();
            long[] downtime = new long[1];

            StreamingCrash.Outcome outcome = StreamingCrash.run(
                    kafka,
                    topics,
                    22,
                    () -> assertNotEnded(running),
                    () -> {
                        downtime[0] = System.nanoTime();
                        broker.process().kill();
                    },
                    () -> {
                        broker = BrokerJvm.start(home, port, "broker-2.log", Duration.ofSeconds(90));
                        downtime[0] = System.nanoTime() - downtime[0];
                        LOG.info("broker back at {} after {} ms", broker.bootstrap(), downtime[0] / 1_000_000);
                    });

            JobStatus status = running.getJobStatus().get(30, TimeUnit.SECONDS);
            running.cancel().get(60, TimeUnit.SECONDS);
            job = null;
            CrashAudit audit = CrashAudit.of(outcome.sent(), RegionOutputs.read(kafka, topics));
            String notes = String.format(
                    "broker pid %d killed, started again on port %d with its data, ready %.1f s after the kill; job %s",
                    killedPid, port, downtime[0] / 1e9, status);
            CrashTable.record(
                    2,
                    "SIGKILL of the Kafka broker JVM, restarted (same port, same data)",
                    audit,
                    outcome.resumed(),
                    notes);

            assertThat(outcome.sendFailures())
                    .as("pairs the broker did not acknowledge")
                    .isEmpty();
            assertThat(status).as("the job after the broker came back").isEqualTo(JobStatus.RUNNING);
            assertThat(outcome.resumed())
                    .as("committed output grew again after the kill")
                    .isPresent();
            audit.assertExactlyOnce();
        } finally {
            if (job != null) {
                job.cancel();
            }
            broker.close();
        }
    }

    private static void assertNotEnded(JobClient job) {
        try {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status.isTerminalState()) {
                throw new AssertionError("the job ended: " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot ask the job for its status", e);
        }
    }

    private static DecomposeOptions parse(java.util.List<String> args) {
        DecomposeOptions options = new DecomposeOptions();
        new CommandLine(options).parseArgs(args.toArray(String[]::new));
        return options;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
