package io.villa.flink;

import java.io.IOException;
import java.nio.file.Path;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.ModelStore;
import io.villa.flink.operators.Grid;
import io.villa.flink.operators.InputLimits;
import io.villa.flink.operators.PrepareConfig;
import io.villa.flink.recovery.RecoveryOptions;
import io.villa.kafka.KafkaOptions;
import io.villa.language.Triggers;
import io.villa.language.UncertainPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Arguments of the decomposition job: the same for {@code villa decompose} and the job jar's main. */
public class DecomposeOptions {

    @Mixin
    public KafkaOptions kafka = new KafkaOptions();

    @Mixin
    public RecoveryOptions recovery = new RecoveryOptions();

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Parallelism of source, decoding and validation (default: ${DEFAULT-VALUE}).")
    public int parallelism;

    @Option(
            names = "--mapping-parallelism",
            defaultValue = "1",
            description =
                    "Parallel appliers of the mapping model; all apply the same version (the learner is always one subtask) "
                            + "(default: ${DEFAULT-VALUE}).")
    public int mappingParallelism;

    @Option(
            names = "--checkpoint-dir",
            defaultValue = "file:///tmp/villa/decompose-checkpoints",
            paramLabel = "URI",
            description = "Where checkpoints are written (default: ${DEFAULT-VALUE}).")
    public String checkpointDir;

    @Option(
            names = "--max-record-bytes",
            defaultValue = "8388608",
            paramLabel = "BYTES",
            description =
                    "Largest pair record read; larger ones are dead letters before any decoding (default: ${DEFAULT-VALUE}).")
    public int maxRecordBytes;

    @Option(
            names = "--max-image-bytes",
            defaultValue = "4194304",
            paramLabel = "BYTES",
            description = "Largest encoded image (default: ${DEFAULT-VALUE}).")
    public int maxImageBytes;

    @Option(
            names = "--max-image-pixels",
            defaultValue = "16777216",
            paramLabel = "PIXELS",
            description =
                    "Most pixels (width x height, as stated and as in the image header, checked before decoding): a small PNG "
                            + "can hold gigapixels (default: ${DEFAULT-VALUE} = 4096x4096).")
    public long maxImagePixels;

    @Option(
            names = "--max-regions",
            defaultValue = "64",
            description =
                    "Most region boxes (and ground-truth regions) per pair: the mapping model pads a batch to its largest "
                            + "pair (default: ${DEFAULT-VALUE}).")
    public int maxRegions;

    @Option(
            names = "--max-report-chars",
            defaultValue = "65536",
            description = "Longest report (default: ${DEFAULT-VALUE}).")
    public int maxReportChars;

    @Option(
            names = "--max-id-chars",
            defaultValue = "256",
            description = "Longest pair id and source name (default: ${DEFAULT-VALUE}).")
    public int maxIdChars;

    @Option(
            names = "--max-output-record-bytes",
            paramLabel = "BYTES",
            description =
                    "Largest record the sinks are given; a pair whose output is larger is a dead letter (default: the producers' "
                            + "max.request.size, from --kafka or 1 MiB, less 8 KiB for framing).")
    public Integer maxOutputRecordBytes;

    @Option(
            names = "--group-id",
            defaultValue = "villa-decompose",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    public String groupId;

    @Option(
            names = "--transactional-id-prefix",
            defaultValue = "villa-decompose",
            description = "Prefix of the sinks' Kafka transactional ids; unique per job (default: ${DEFAULT-VALUE}).")
    public String transactionalIdPrefix;

    @Option(
            names = "--bounded",
            description = "Stop at the end offsets found at start (tests, backfills) instead of running forever.")
    public boolean bounded;

    @Option(
            names = "--grid",
            defaultValue = "3x3",
            paramLabel = "ROWSxCOLS",
            converter = Grid.Converter.class,
            description = "Region grid for records without boxes (default: ${DEFAULT-VALUE}).")
    public Grid grid;

    @Option(
            names = "--min-region-size",
            defaultValue = "8",
            paramLabel = "PX",
            description = "Smallest accepted box side (default: ${DEFAULT-VALUE}).")
    public int minRegionSize;

    @Option(
            names = "--region-size",
            defaultValue = "28",
            paramLabel = "PX",
            description =
                    "Regions are resampled to this square size for the model; multiple of 4 (default: ${DEFAULT-VALUE}).")
    public int regionSize;

    @Option(
            names = "--vocabulary",
            paramLabel = "NAME|FILE",
            description = {
                "The attributes and their surface forms: a shipped vocabulary, docmnist (DocMNIST's 20 words, typed digit, "
                        + "colour, shape, size) or chest-xray (the 14 CheXpert observations), or a vocabulary file (one 'ID: FORM | FORM' "
                        + "or one word per line, [TYPE] lines; format in the README). Mapping quality is also reported per type "
                        + "(default: docmnist)."
            })
    public String vocabulary;

    @Option(
            names = "--uncertain",
            defaultValue = "ignore",
            paramLabel = "positive|ignore",
            converter = UncertainPolicyConverter.class,
            description =
                    "Whether an uncertain mention (\"possible pneumonia\", \"cannot be excluded\") makes an attribute present "
                            + "(default: ${DEFAULT-VALUE}: only positive mentions do; negated ones never).")
    public UncertainPolicy uncertain = UncertainPolicy.IGNORE;

    @Option(
            names = "--triggers",
            paramLabel = "FILE",
            description =
                    "Negation and uncertainty triggers, scope terminations and section names, replacing the shipped list "
                            + "(format in the README) (default: the shipped list).")
    public Path triggers;

    @Option(
            names = "--encoder",
            defaultValue = "conv",
            paramLabel = "pixels|conv|FILE",
            description =
                    "Region encoder: the RGB pixels as they are, a small CNN learned from them through the mapping loss, or a "
                            + "TorchScript image encoder file (frozen) (default: ${DEFAULT-VALUE}).")
    public String encoder;

    @Option(names = "--temperature", defaultValue = "0.07", description = "T (default: ${DEFAULT-VALUE}).")
    public float temperature;

    @Option(names = "--epsilon", defaultValue = "0.2", description = "Assignment margin (default: ${DEFAULT-VALUE}).")
    public float epsilon;

    @Option(
            names = "--head-width",
            defaultValue = "128",
            description = "Hidden units of each attribute head (default: ${DEFAULT-VALUE}).")
    public int headWidth;

    @Option(
            names = "--embedding-dim",
            defaultValue = "32",
            description = "Output size of each attribute head (default: ${DEFAULT-VALUE}).")
    public int embeddingDim;

    @Option(
            names = "--learning-rate",
            defaultValue = "0.004",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    public float learningRate;

    @Option(
            names = "--batch-size",
            defaultValue = "64",
            description = "Images per contrastive batch (default: ${DEFAULT-VALUE}).")
    public int batchSize;

    @Option(
            names = "--replay-size",
            defaultValue = "2048",
            description = "Recent TRAIN images kept for replay (default: ${DEFAULT-VALUE}).")
    public int replaySize;

    @Option(
            names = "--passes",
            defaultValue = "32",
            description = "Optimisation steps per batch-size new TRAIN images (default: ${DEFAULT-VALUE}).")
    public int passes;

    @Option(
            names = "--warmup-pairs",
            defaultValue = "512",
            description = "TRAIN pairs before the model may decompose (default: ${DEFAULT-VALUE}).")
    public int warmupPairs;

    @Option(
            names = "--warmup-steps",
            defaultValue = "100",
            description = "Steps run on the warm-up pairs (default: ${DEFAULT-VALUE}).")
    public int warmupSteps;

    @Option(
            names = "--publish-every",
            defaultValue = "64",
            paramLabel = "STEPS",
            description =
                    "Publish a new mapping model version to the appliers (and to --model-dir) every N learning steps, and when "
                            + "warm-up ends (default: ${DEFAULT-VALUE}).")
    public long publishEvery;

    @Option(
            names = "--model-dir",
            paramLabel = "DIR",
            description =
                    "Write every published mapping model version here as a loadable model (v<version>/: parameters and "
                            + "mapping.json), so any output record's modelVersion can be loaded (villa query --mapping-model); "
                            + "a directory every machine running the learner sees. Default: none written.")
    public Path modelDir;

    @Option(
            names = "--max-waiting-pairs",
            defaultValue = "2048",
            description =
                    "Pairs that may wait for the first model version; at the bound the model warms up on the TRAIN pairs it has "
                            + "and the stream waits for it (default: ${DEFAULT-VALUE}).")
    public int maxWaitingPairs;

    @Option(
            names = "--max-learning-lag",
            defaultValue = "1024",
            paramLabel = "STEPS",
            description = {
                "Learning steps that may be owed while pairs pass on to be decomposed; beyond, the stream waits for "
                        + "learning. Large: decomposing never waits for learning, pairs get the newest version published so far; "
                        + "0: each pair is decomposed by the model that learned from every TRAIN pair before it (deterministic "
                        + "output, the stream at learning speed) (default: ${DEFAULT-VALUE})."
            })
    public long maxLearningLag;

    @Option(
            names = "--held-out-pairs",
            defaultValue = "256",
            paramLabel = "PAIRS",
            description = {
                "The learner keeps the first PAIRS VAL pairs with ground truth (bounded, in checkpointed state; the pairs are "
                        + "decomposed as usual too) and scores model versions on them, each pair alone: held-out mapping precision, "
                        + "recall and F1 of the current model on a fixed set (trainer event METRICS, HELDOUT.*), where the appliers' "
                        + "VAL figures mix every version that decomposed a pair. A version is scored on the held-out pairs that came "
                        + "before its last TRAIN pair, the final one on all (256 DocMNIST pairs take about a second of the "
                        + "learner's stream thread per version); 0: none (default: ${DEFAULT-VALUE})."
            })
    public int heldOutPairs;

    @Option(
            names = "--held-out-every",
            defaultValue = "1",
            paramLabel = "VERSIONS",
            description =
                    "Score every N-th published version on the held-out pairs (and the final one of a bounded run); 0: none "
                            + "(default: ${DEFAULT-VALUE}).")
    public long heldOutEvery;

    @Option(
            names = "--cpu-threads",
            defaultValue = "1",
            description = "PyTorch intra-op threads per learner (default: ${DEFAULT-VALUE}).")
    public int cpuThreads;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the mapping model (default: ${DEFAULT-VALUE}).")
    public long seed;

    @Option(
            names = "--log-every",
            defaultValue = "500",
            description = "Log mapping quality every N pairs (default: ${DEFAULT-VALUE}).")
    public long logEvery;

    @Option(
            names = "--inject-failure-after",
            defaultValue = "0",
            paramLabel = "PAIRS",
            description = {
                "Fault injection, for recovery drills and tests: the mapping applier throws once (per JVM) after PAIRS "
                        + "pairs and a completed checkpoint, so the job restarts from that checkpoint as after a real failure; "
                        + "0: never (default: ${DEFAULT-VALUE})."
            })
    public long failOnceAfter;

    /** Where a stop with a savepoint writes: --savepoint-dir, else beside --checkpoint-dir. */
    public String savepointDirectory() {
        return recovery.savepointDirectory(checkpointDir);
    }

    public MappingConfig mappingConfig() {
        return MappingConfig.builder()
                .optTemperature(temperature)
                .optEpsilon(epsilon)
                .optHeadWidth(headWidth)
                .optEmbeddingDim(embeddingDim)
                .optLearningRate(learningRate)
                .optBatchSize(batchSize)
                .optReplaySize(replaySize)
                .optPasses(passes)
                .optWarmup(warmupPairs, warmupSteps)
                .optRegionSize(regionSize)
                .optEncoder(encoder)
                .optCpuThreads(cpuThreads)
                .optSeed(seed)
                .build();
    }

    /** Where published model versions are written: {@code --model-dir}, or nowhere. */
    public ModelStore modelStore() throws IOException {
        return modelDir == null
                ? ModelStore.none()
                : ModelStore.at(modelDir, mappingConfig(), attributeVocabulary().words());
    }

    public PrepareConfig prepareConfig() {
        return new PrepareConfig(grid.rows(), grid.columns(), minRegionSize, regionSize);
    }

    /** The limits checked before the work; see each --max-* option. */
    public InputLimits inputLimits() {
        int output = maxOutputRecordBytes != null
                ? maxOutputRecordBytes
                : kafka.settings().producerRecordLimit();
        return InputLimits.builder()
                .optMaxRecordBytes(maxRecordBytes)
                .optMaxImageBytes(maxImageBytes)
                .optMaxImagePixels(maxImagePixels)
                .optMaxRegions(maxRegions)
                .optMaxReportChars(maxReportChars)
                .optMaxIdChars(maxIdChars)
                .optMaxOutputRecordBytes(output)
                .build();
    }

    /** positive|ignore in any case, whether or not the command line allows enums in any case (tests and the demo do not). */
    public static final class UncertainPolicyConverter implements picocli.CommandLine.ITypeConverter<UncertainPolicy> {
        @Override
        public UncertainPolicy convert(String value) {
            try {
                return UncertainPolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public AttributeVocabulary attributeVocabulary() throws IOException {
        return AttributeVocabulary.named(vocabulary);
    }

    /** The vocabulary with the triggers and the uncertain policy: read once, when the job is built. */
    public AttributeExtractor attributeExtractor() throws IOException {
        return new AttributeExtractor(attributeVocabulary(), Triggers.fromFileOrStandard(triggers), uncertain);
    }
}
