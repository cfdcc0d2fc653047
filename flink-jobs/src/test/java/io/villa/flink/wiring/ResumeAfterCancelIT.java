package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * A local run stops while pairs wait in its state for the model's warm-up (their offsets already committed to the
 * group), and the same command started again resumes from the checkpoint that run left: every pair decomposed
 * exactly once. Without the resume, the waiting pairs are gone: the new run starts after them.
 */
class ResumeAfterCancelIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void theSameCommandResumesFromTheLastCheckpointAndNothingIsLost(@TempDir Path checkpoints) throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "resume");
        var generator = TestPairs.generator(31, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 60);
        List<ImageReportPair> val = TestPairs.take(generator, Split.VAL, 10);
        List<Object> first = new ArrayList<>(train.subList(0, 20));
        first.addAll(val.subList(0, 5));
        job.produce(first);

        // warm-up needs 40 TRAIN pairs: the first 20 and 5 VAL pairs can only wait in state
        List<String> args = job.args(checkpoints, "--warmup-pairs", "40", "--checkpoint-interval", "300");
        JobClient running = environment(args).executeAsync("decompose-resume-1");
        Path jobDirectory = checkpoints.resolve(running.getJobID().toHexString());
        awaitCheckpoint(jobDirectory);
        running.cancel().get();
        assertThat(job.readCommitted(job.topics.regionAttributePairs()))
                .as("nothing decomposed before warm-up")
                .isEmpty();

        List<Object> rest = new ArrayList<>(train.subList(20, train.size()));
        rest.addAll(val.subList(5, val.size()));
        job.produce(rest);
        // a resumed run keeps the end of the run it resumes (here none): it runs until cancelled, like a service
        JobClient resumed = environment(args).executeAsync("decompose-resume-2");
        assertThat(resumed.getJobID()).as("same job, same checkpoint directory").isEqualTo(running.getJobID());
        List<String> all = Stream.concat(train.stream(), val.stream())
                .map(p -> p.getPairId().toString())
                .toList();
        Map<String, Integer> wholeImages = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (wholeImages.size() < all.size() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            wholeImages = wholeImageCounts(job);
        }
        Thread.sleep(1500); // a few more checkpoints: a duplicate would show now
        resumed.cancel().get();

        wholeImages = wholeImageCounts(job);
        assertThat(wholeImages.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(wholeImages.values()).as("each exactly once").containsOnly(1);
        assertThat(job.readCommitted(job.topics.deadLetters())).isEmpty();
    }

    private static Map<String, Integer> wholeImageCounts(PipelineHarness job) {
        return PipelineHarness.countByKey(job.readCommitted(job.topics.regionAttributePairs()).stream()
                .map(r -> Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value()))
                .filter(RegionAttributePair::getWholeImage)
                .map(r -> r.getPairId().toString()));
    }

    /** What {@code villa decompose} does for a local run. */
    private static StreamExecutionEnvironment environment(List<String> args) throws Exception {
        DecomposeOptions options = PipelineHarness.parse(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(DecomposeJob.localConfiguration(options));
        DecomposeJob.build(env, options);
        return env;
    }

    private static void awaitCheckpoint(Path jobDirectory) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(jobDirectory)) {
                try (Stream<Path> children = Files.list(jobDirectory)) {
                    if (children.anyMatch(p -> Files.isRegularFile(p.resolve("_metadata")))) {
                        Thread.sleep(500); // and let the source commit that checkpoint's offsets
                        return;
                    }
                } catch (java.io.IOException e) {
                    // the directory is being written; look again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint completed in " + jobDirectory);
    }
}
