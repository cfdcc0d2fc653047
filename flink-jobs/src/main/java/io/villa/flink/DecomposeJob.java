package io.villa.flink;

import java.util.concurrent.Callable;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KafkaEndpoints;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.io.RawRecord;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.ModelVersion;
import io.villa.flink.operators.ApplyOperator;
import io.villa.flink.operators.DecodePairs;
import io.villa.flink.operators.DecodedPair;
import io.villa.flink.operators.InputLimits;
import io.villa.flink.operators.LearnOperator;
import io.villa.flink.operators.PreparedPair;
import io.villa.flink.operators.QualityOperator;
import io.villa.flink.operators.ValidateAndPrepare;
import io.villa.flink.recovery.CheckpointSetup;
import io.villa.flink.recovery.LocalResume;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The decomposition job: image-report pairs from Kafka -> decode -> validate and cut regions -> mapping
 * learner (one subtask, learning online beside the stream, publishing model versions) -> mapping appliers (any
 * parallelism, all applying the broadcast version) -> region-attribute pairs to Kafka, exactly once; rejects to the
 * dead-letter topic; model versions (TrainerEvent CHECKPOINT) and mapping quality (METRICS) to the trainer-events topic.
 */
@Command(
        name = "decompose",
        mixinStandardHelpOptions = true,
        description =
                "Decompose image-report pairs into region-attribute pairs with the online ViLLA mapping model (Flink job).")
public final class DecomposeJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeJob.class);

    @Mixin
    DecomposeOptions options = new DecomposeOptions();

    /** The job jar's entry point ({@code flink run villa-flink-job.jar ...}); see {@link JobMain}. */
    public static void main(String[] args) throws Exception {
        JobMain.run(new DecomposeJob(), args);
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
        return CheckpointSetup.configuration(o.recovery, o.checkpointDir);
    }

    /**
     * For a run in a local MiniCluster: {@link #configuration} plus the job's fixed id and, per {@code --resume latest},
     * the checkpoint it restores. See {@link CheckpointSetup#forLocalRun}.
     */
    public static Configuration localConfiguration(DecomposeOptions o) {
        return CheckpointSetup.forLocalRun(
                configuration(o), o.recovery, o.checkpointDir, LocalResume.jobId(o.groupId, o.kafka.pairsTopic));
    }

    /** Wires source, operators and sinks into {@code env}. */
    public static void build(StreamExecutionEnvironment env, DecomposeOptions o) throws java.io.IOException {
        env.configure(configuration(o));
        JobParameters.showInWebUi(env, o);
        env.setParallelism(o.parallelism);
        KafkaSettings kafka = o.kafka.settings();
        TopicNames topics = o.kafka.topics();
        InputLimits limits = o.inputLimits();

        DataStream<RawRecord> raw = env.fromSource(
                        KafkaEndpoints.rawSource(
                                kafka,
                                topics.imageReportPairs(),
                                o.groupId,
                                o.recovery.partitionDiscoveryIntervalMs,
                                o.bounded),
                        WatermarkStrategy.noWatermarks(),
                        "image-report-pairs")
                .uid("source");
        SingleOutputStreamOperator<DecodedPair> decoded =
                raw.process(new DecodePairs(limits)).name("decode").uid("decode");
        AttributeExtractor extractor = o.attributeExtractor();
        AttributeVocabulary vocabulary = extractor.vocabulary();
        SingleOutputStreamOperator<PreparedPair> prepared = decoded.process(
                        new ValidateAndPrepare(o.prepareConfig(), limits, extractor))
                .name("validate-and-prepare")
                .uid("validate-and-prepare");
        MappingConfig mappingConfig = o.mappingConfig();
        // one learner sees every pair; its versions are broadcast to the appliers, which run at any parallelism
        SingleOutputStreamOperator<PreparedPair> released = prepared.transform(
                        "mapping-learn",
                        TypeInformation.of(PreparedPair.class),
                        LearnOperator.builder()
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
                .uid("mapping-learn")
                .setParallelism(1);
        DataStream<ModelVersion> versions = released.getSideOutput(LearnOperator.MODEL_VERSIONS);
        SingleOutputStreamOperator<KeyedBytes> regions = released.connect(versions.broadcast())
                .transform(
                        "mapping-apply",
                        TypeInformation.of(KeyedBytes.class),
                        ApplyOperator.builder()
                                .setConfig(mappingConfig)
                                .setVocabulary(vocabulary)
                                .optExtractor(extractor)
                                .optLimits(limits)
                                .optFailOnceAfter(o.failOnceAfter)
                                .build())
                .uid("mapping-apply")
                .setParallelism(o.mappingParallelism);
        SingleOutputStreamOperator<KeyedBytes> quality = regions.getSideOutput(ApplyOperator.QUALITY)
                .transform(
                        "mapping-quality",
                        TypeInformation.of(KeyedBytes.class),
                        new QualityOperator(o.logEvery, vocabulary.typeNames()))
                .uid("mapping-quality")
                .setParallelism(1);
        regions.sinkTo(KafkaEndpoints.exactlyOnceSink(
                        kafka, topics.regionAttributePairs(), o.transactionalIdPrefix + "-regions"))
                .name("region-attribute-pairs")
                .uid("region-sink")
                .setParallelism(o.mappingParallelism);
        released.getSideOutput(LearnOperator.EVENTS)
                .union(quality)
                .sinkTo(KafkaEndpoints.exactlyOnceSink(
                        kafka, topics.trainerEvents(), o.transactionalIdPrefix + "-events"))
                .name("mapping-events")
                .uid("mapping-event-sink")
                .setParallelism(1);
        decoded.getSideOutput(DeadLetterOutput.TAG)
                .union(
                        prepared.getSideOutput(DeadLetterOutput.TAG),
                        released.getSideOutput(DeadLetterOutput.TAG),
                        regions.getSideOutput(DeadLetterOutput.TAG))
                .sinkTo(KafkaEndpoints.exactlyOnceSink(
                        kafka, topics.deadLetters(), o.transactionalIdPrefix + "-dead-letters"))
                .name("dead-letters")
                .uid("dead-letter-sink");
    }
}
