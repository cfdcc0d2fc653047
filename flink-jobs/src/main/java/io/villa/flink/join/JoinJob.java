package io.villa.flink.join;

import java.util.concurrent.Callable;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.JobMain;
import io.villa.flink.JobParameters;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KafkaEndpoints;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.io.RawRecord;
import io.villa.flink.recovery.CheckpointSetup;
import io.villa.flink.recovery.LocalResume;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The hospital-feed join: de-identified images ({@code villa.study-images}) and reports ({@code villa.study-reports})
 * -> decode and check -> keyed by studyKey -> {@link StudyJoin} -> image-report pairs to the pair topic, exactly once
 * (Kafka transactions committed with each checkpoint); rejects and orphans to the dead-letter topic.
 */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = "Join de-identified study images and reports into image-report pairs (Flink job).")
public final class JoinJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(JoinJob.class);
    public static final String JOB_NAME = "villa-join";

    @Mixin
    JoinOptions options = new JoinOptions();

    /** An entry point for {@code flink run -c io.villa.flink.join.JoinJob villa-flink-job.jar ...}. */
    public static void main(String[] args) throws Exception {
        JobMain.run(new JoinJob(), args);
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, options);
        env.execute(JOB_NAME);
        return 0;
    }

    public static Configuration configuration(JoinOptions o) {
        Configuration conf = CheckpointSetup.configuration(o.recovery, o.checkpointDir);
        switch (o.stateBackend) {
            case "hashmap" -> conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            case "rocksdb" -> {
                // a week of images waiting for corrections outgrows a heap: on disk, and checkpoint only what changed
                conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
                conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            }
            default ->
                throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb, got " + o.stateBackend);
        }
        return conf;
    }

    /** For a local MiniCluster: a fixed job id and, per --resume latest, the checkpoint a killed run left (claimed). */
    public static Configuration localConfiguration(JoinOptions o) {
        return CheckpointSetup.forLocalRun(
                configuration(o), o.recovery, o.checkpointDir, LocalResume.jobId(o.groupId, o.kafka.pairsTopic));
    }

    private static Source<RawRecord, ?, ?> source(KafkaSettings kafka, String topic, JoinOptions o) {
        return KafkaEndpoints.rawSource(kafka, topic, o.groupId, o.recovery.partitionDiscoveryIntervalMs, o.bounded);
    }

    /** Wires sources, decoding, the join and the sinks into {@code env}. */
    public static void build(StreamExecutionEnvironment env, JoinOptions o) {
        JoinConfig settings = o.settings();
        env.configure(configuration(o));
        JobParameters.showInWebUi(env, o);
        env.setParallelism(o.parallelism);
        KafkaSettings kafka = o.kafka.settings();
        TopicNames topics = o.kafka.topics();

        SingleOutputStreamOperator<FeedRecord> images = env.fromSource(
                        source(kafka, o.studyImagesTopic, o), WatermarkStrategy.noWatermarks(), "study-images")
                .uid("images-source")
                .process(DecodeFeed.images(settings))
                .name("decode-images")
                .uid("decode-images");
        SingleOutputStreamOperator<FeedRecord> reports = env.fromSource(
                        source(kafka, o.studyReportsTopic, o), WatermarkStrategy.noWatermarks(), "study-reports")
                .uid("reports-source")
                .process(DecodeFeed.reports(settings))
                .name("decode-reports")
                .uid("decode-reports");
        SingleOutputStreamOperator<KeyedBytes> pairs = images.union(reports)
                .keyBy(r -> r.studyKey)
                .process(new StudyJoin(settings))
                .name("join")
                .uid("join");
        pairs.sinkTo(KafkaEndpoints.exactlyOnceSink(
                        kafka, topics.imageReportPairs(), o.transactionalIdPrefix + "-pairs"))
                .name("image-report-pairs")
                .uid("pair-sink");
        DataStream<KeyedBytes> letters = images.getSideOutput(DeadLetterOutput.TAG)
                .union(reports.getSideOutput(DeadLetterOutput.TAG), pairs.getSideOutput(DeadLetterOutput.TAG));
        letters.sinkTo(KafkaEndpoints.exactlyOnceSink(
                        kafka, topics.deadLetters(), o.transactionalIdPrefix + "-dead-letters"))
                .name("dead-letters")
                .uid("dead-letter-sink");
    }
}
