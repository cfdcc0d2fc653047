package io.villa.flink;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.io.KeyedBytesSerializer;
import io.villa.flink.io.RawRecord;
import io.villa.flink.io.RawRecordDeserializer;
import io.villa.flink.io.RestoredBoundedKafkaSource;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.ModelVersion;
import io.villa.flink.operators.DecodePairs;
import io.villa.flink.operators.DecodedPair;
import io.villa.flink.operators.InputLimits;
import io.villa.flink.operators.ApplyOperator;
import io.villa.flink.operators.LearnOperator;
import io.villa.flink.operators.QualityOperator;
import io.villa.flink.operators.PreparedPair;
import io.villa.flink.operators.ValidateAndPrepare;
import io.villa.flink.recovery.LocalResume;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The decomposition job: image-report pairs from Kafka -> decode -> validate and cut regions -> mapping
 * learner (one subtask, learning online beside the stream, publishing model versions) -> mapping appliers (any
 * parallelism, all applying the broadcast version) -> region-attribute pairs to Kafka, exactly once; rejects to the
 * dead-letter topic; model versions (TrainerEvent CHECKPOINT) and mapping quality (METRICS) to the trainer-events topic.
 */
@Command(name = "decompose", mixinStandardHelpOptions = true,
        description = "Decompose image-report pairs into region-attribute pairs with the online ViLLA mapping model (Flink job).")
public final class DecomposeJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeJob.class);

    /** Below the broker's transaction.max.timeout.ms (15 min by default), above checkpoint interval + restarts. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    @Mixin
    DecomposeOptions options = new DecomposeOptions();

    /**
     * The job jar's entry point ({@code flink run villa-flink-job.jar ...}). No System.exit and no catching:
     * Flink's client and application mode need this main to return normally or throw.
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        DecomposeJob job = new DecomposeJob();
        CommandLine commandLine = new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return;
        }
        job.call();
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, options);
        env.execute("villa-decompose");
        return 0;
    }

    /**
     * Checkpointing, savepoints and restarts as the options say, and the snapshot named with --from-savepoint or
     * --resume PATH (checked here, before anything starts: the job jar's main gets here first too).
     */
    public static Configuration configuration(DecomposeOptions o) {
        return checkpointedConfiguration(o.checkpointIntervalMs, o.checkpointDir, o.savepointDirectory(),
                o.explicitRestorePath(), o.restartAttempts);
    }

    /**
     * Exactly-once checkpoints every {@code intervalMs} under {@code checkpointDir} (retained on cancel), savepoints in
     * {@code savepointDir}, the snapshot {@code restorePath} when given (never claimed), and the restart strategy: the
     * set-up every job of ours runs with (decompose, join).
     */
    public static Configuration checkpointedConfiguration(long intervalMs, String checkpointDir, String savepointDir,
                                                          java.util.Optional<String> restorePath, int restartAttempts) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(intervalMs));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        // a stop without a target directory in a local MiniCluster (whose configuration is this); a session cluster's
        // REST API reads only its own execution.checkpointing.savepoint-dir
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir);
        // a killed, failed or cancelled job leaves its last checkpoint to resume from; a finished one cleans up
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        restorePath.ifPresent(path -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            // a snapshot the user named stays theirs: Flink never deletes it (a retained checkpoint of our own is claimed)
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        });
        if (restartAttempts <= 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            // restarts are for infrastructure (a broker or a machine away for a while): back off instead of
            // spending every attempt in the first seconds of an outage
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, restartAttempts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, Duration.ofMinutes(5));
        }
        return conf;
    }

    /**
     * For a run in a local MiniCluster: {@link #configuration} plus the job's fixed id and, per {@code --resume latest},
     * the checkpoint it restores (claimed: deleted once a newer one exists). See {@link LocalResume}.
     */
    public static Configuration localConfiguration(DecomposeOptions o) {
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

    /** Wires source, operators and sinks into {@code env}. */
    public static void build(StreamExecutionEnvironment env, DecomposeOptions o) throws java.io.IOException {
        env.configure(configuration(o));
        env.setParallelism(o.parallelism);
        KafkaSettings kafka = o.kafka.settings();
        TopicNames topics = o.kafka.topics();
        InputLimits limits = o.inputLimits();

        DataStream<RawRecord> raw = env.fromSource(source(kafka, topics, o), WatermarkStrategy.noWatermarks(), "image-report-pairs")
                .uid("source");
        SingleOutputStreamOperator<DecodedPair> decoded = raw.process(new DecodePairs(limits)).name("decode").uid("decode");
        AttributeExtractor extractor = o.attributeExtractor();
        AttributeVocabulary vocabulary = extractor.vocabulary();
        SingleOutputStreamOperator<PreparedPair> prepared = decoded.process(new ValidateAndPrepare(o.prepareSettings(), limits, extractor))
                .name("validate-and-prepare").uid("validate-and-prepare");
        MappingConfig mappingConfig = o.mappingConfig();
        // one learner sees every pair; its versions are broadcast to the appliers, which run at any parallelism
        SingleOutputStreamOperator<PreparedPair> released = prepared
                .transform("mapping-learn", TypeInformation.of(PreparedPair.class), LearnOperator.builder()
                        .setConfig(mappingConfig)
                        .setVocabulary(vocabulary)
                        .optExtractor(extractor)
                        .optLimits(limits)
                        .optModelStore(o.modelStore())
                        .optPublishEvery(o.publishEvery)
                        .optMaxWaitingPairs(o.maxWaitingPairs)
                        .optMaxLagSteps(o.maxLearningLag)
                        .optHeldOutPairs(o.heldOutPairs)
                        .optHeldOutEvery(o.heldOutEvery)
                        .build())
                .uid("mapping-learn").setParallelism(1);
        DataStream<ModelVersion> versions = released.getSideOutput(LearnOperator.MODEL_VERSIONS);
        SingleOutputStreamOperator<KeyedBytes> regions = released.connect(versions.broadcast())
                .transform("mapping-apply", TypeInformation.of(KeyedBytes.class), ApplyOperator.builder()
                        .setConfig(mappingConfig)
                        .setVocabulary(vocabulary)
                        .optExtractor(extractor)
                        .optLimits(limits)
                        .optFailOnceAfter(o.failOnceAfter)
                        .build())
                .uid("mapping-apply").setParallelism(o.mappingParallelism);
        SingleOutputStreamOperator<KeyedBytes> quality = regions.getSideOutput(ApplyOperator.QUALITY)
                .transform("mapping-quality", TypeInformation.of(KeyedBytes.class), new QualityOperator(o.logEvery, vocabulary.typeNames()))
                .uid("mapping-quality").setParallelism(1);
        regions.sinkTo(sink(kafka, topics.regionAttributePairs(), o.transactionalIdPrefix + "-regions"))
                .name("region-attribute-pairs").uid("region-sink").setParallelism(o.mappingParallelism);
        released.getSideOutput(LearnOperator.EVENTS).union(quality)
                .sinkTo(sink(kafka, topics.trainerEvents(), o.transactionalIdPrefix + "-events"))
                .name("mapping-events").uid("mapping-event-sink").setParallelism(1);
        decoded.getSideOutput(DeadLetterOutput.TAG)
                .union(prepared.getSideOutput(DeadLetterOutput.TAG), released.getSideOutput(DeadLetterOutput.TAG),
                        regions.getSideOutput(DeadLetterOutput.TAG))
                .sinkTo(sink(kafka, topics.deadLetters(), o.transactionalIdPrefix + "-dead-letters"))
                .name("dead-letters").uid("dead-letter-sink");
    }

    static Source<RawRecord, ?, ?> source(KafkaSettings kafka, TopicNames topics, DecomposeOptions o) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(KafkaSettings.asProperties(kafka.consumerConfig(o.groupId)))
                .setTopics(topics.imageReportPairs())
                .setGroupId(o.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("partition.discovery.interval.ms", String.valueOf(o.partitionDiscoveryIntervalMs));
        if (!o.bounded) {
            return builder.build();
        }
        builder.setBounded(OffsetsInitializer.latest());
        // a bounded run resumed from a checkpoint must end too (the connector's own enumerator never does)
        return new RestoredBoundedKafkaSource<>(builder.build(), topics.imageReportPairs(), kafka.adminConfig());
    }

    /** An exactly-once (transactional) sink of encoded records to {@code topic}. */
    public static KafkaSink<KeyedBytes> sink(KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        Map<String, Object> producer = kafka.producerConfig();
        producer.put("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        producer.putAll(kafka.overrides());
        return KafkaSink.<KeyedBytes>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(KafkaSettings.asProperties(producer))
                .setRecordSerializer(new KeyedBytesSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
