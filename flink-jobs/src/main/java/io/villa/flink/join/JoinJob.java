package io.villa.flink.join;

import java.util.concurrent.Callable;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.DecomposeJob;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.io.RawRecord;
import io.villa.flink.io.RawRecordDeserializer;
import io.villa.flink.io.RestoredBoundedKafkaSource;
import io.villa.flink.recovery.LocalResume;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The hospital-feed join: de-identified images ({@code villa.study-images}) and reports ({@code villa.study-reports})
 * -> decode and check -> keyed by studyKey -> {@link StudyJoin} -> image-report pairs to the pair topic, exactly once
 * (Kafka transactions committed with each checkpoint); rejects and orphans to the dead-letter topic.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Join de-identified study images and reports into image-report pairs (Flink job).")
public final class JoinJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(JoinJob.class);
    public static final String JOB_NAME = "villa-join";

    @Mixin
    JoinOptions options = new JoinOptions();

    /** An entry point for {@code flink run -c io.villa.flink.join.JoinJob villa-flink-job.jar ...}. */
    public static void main(String[] args) throws Exception {
        JoinJob job = new JoinJob();
        CommandLine commandLine = new CommandLine(job);
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        job.call();
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, options);
        env.execute(JOB_NAME);
        return 0;
    }

    public static Configuration configuration(JoinOptions o) {
        Configuration conf = DecomposeJob.checkpointedConfiguration(o.checkpointIntervalMs, o.checkpointDir, o.savepointDirectory(),
                o.explicitRestorePath(), o.restartAttempts);
        switch (o.stateBackend) {
            case "hashmap" -> conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            case "rocksdb" -> {
                // a week of images waiting for corrections outgrows a heap: on disk, and checkpoint only what changed
                conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
                conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            }
            default -> throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb, got " + o.stateBackend);
        }
        return conf;
    }

    /** For a local MiniCluster: a fixed job id and, per --resume latest, the checkpoint a killed run left (claimed). */
    public static Configuration localConfiguration(JoinOptions o) {
        Configuration conf = configuration(o);
        JobID id = LocalResume.jobId(o.groupId, o.kafka.pairsTopic);
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, id.toHexString());
        if (conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            LOG.info("starting from {}", conf.get(StateRecoveryOptions.SAVEPOINT_PATH));
            return conf;
        }
        LocalResume.restorePath(o.resumeMode(), o.checkpointDir, id).ifPresent(path -> {
            LOG.info("resuming from {} (--resume none starts afresh from the group's committed offsets)", path);
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        return conf;
    }

    /** Wires sources, decoding, the join and the sinks into {@code env}. */
    public static void build(StreamExecutionEnvironment env, JoinOptions o) {
        JoinSettings settings = o.settings();
        env.configure(configuration(o));
        env.setParallelism(o.parallelism);
        KafkaSettings kafka = o.kafka.settings();
        TopicNames topics = o.kafka.topics();

        SingleOutputStreamOperator<FeedRecord> images = env
                .fromSource(source(kafka, o.studyImagesTopic, o), WatermarkStrategy.noWatermarks(), "study-images").uid("images-source")
                .process(DecodeFeed.images(settings)).name("decode-images").uid("decode-images");
        SingleOutputStreamOperator<FeedRecord> reports = env
                .fromSource(source(kafka, o.studyReportsTopic, o), WatermarkStrategy.noWatermarks(), "study-reports").uid("reports-source")
                .process(DecodeFeed.reports(settings)).name("decode-reports").uid("decode-reports");
        SingleOutputStreamOperator<KeyedBytes> pairs = images.union(reports)
                .keyBy(r -> r.studyKey)
                .process(new StudyJoin(settings)).name("join").uid("join");
        pairs.sinkTo(DecomposeJob.sink(kafka, topics.imageReportPairs(), o.transactionalIdPrefix + "-pairs"))
                .name("image-report-pairs").uid("pair-sink");
        DataStream<KeyedBytes> letters = images.getSideOutput(DeadLetterOutput.TAG)
                .union(reports.getSideOutput(DeadLetterOutput.TAG), pairs.getSideOutput(DeadLetterOutput.TAG));
        letters.sinkTo(DecomposeJob.sink(kafka, topics.deadLetters(), o.transactionalIdPrefix + "-dead-letters"))
                .name("dead-letters").uid("dead-letter-sink");
    }

    static Source<RawRecord, ?, ?> source(KafkaSettings kafka, String topic, JoinOptions o) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(KafkaSettings.asProperties(kafka.consumerConfig(o.groupId)))
                .setTopics(topic)
                .setGroupId(o.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("partition.discovery.interval.ms", String.valueOf(o.partitionDiscoveryIntervalMs));
        if (!o.bounded) {
            return builder.build();
        }
        builder.setBounded(OffsetsInitializer.latest());
        // a bounded run resumed from a checkpoint must end too (see RestoredBoundedKafkaSource)
        return new RestoredBoundedKafkaSource<>(builder.build(), topic, kafka.adminConfig());
    }
}
