package io.villa.flink.join;

import java.time.Duration;
import java.util.Locale;

import io.villa.flink.recovery.RecoveryOptions;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Arguments of the join job: the same for {@code villa join} and {@link JoinJob#main}. */
public class JoinOptions {

    @Mixin
    public KafkaOptions kafka = new KafkaOptions();

    @Mixin
    public RecoveryOptions recovery = new RecoveryOptions();

    @Option(
            names = "--topic-study-images",
            paramLabel = "TOPIC",
            defaultValue = FeedTopicNames.DEFAULT_STUDY_IMAGES,
            description = "De-identified images from the PACS follower (default: ${DEFAULT-VALUE}).")
    public String studyImagesTopic;

    @Option(
            names = "--topic-study-reports",
            paramLabel = "TOPIC",
            defaultValue = FeedTopicNames.DEFAULT_STUDY_REPORTS,
            description = "De-identified reports from the HL7 listener (default: ${DEFAULT-VALUE}).")
    public String studyReportsTopic;

    @Option(
            names = "--ttl",
            defaultValue = "7d",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = {
                "How long a study waits for its other half after its last image or report arrived (processing time): "
                        + "then an image still without a report, or a report still without an image, goes to the dead-letter "
                        + "topic, and the study's state is cleared (a correction after that finds no images). 7d, 12h, 30m, 10s, "
                        + "500ms or ISO-8601 (PT10S) (default: ${DEFAULT-VALUE})."
            })
    public Duration ttl;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.1",
            description =
                    "Share of studies assigned VAL, from a hash of the study key, when the image carries no split "
                            + "(default: ${DEFAULT-VALUE}).")
    public double valFraction;

    @Option(
            names = "--test-fraction",
            defaultValue = "0.1",
            description = "Share of studies assigned TEST, likewise (default: ${DEFAULT-VALUE}).")
    public double testFraction;

    @Option(
            names = "--max-images-per-study",
            defaultValue = "16",
            description = "Most images held per study; more are dead letters (default: ${DEFAULT-VALUE}).")
    public int maxImagesPerStudy;

    @Option(
            names = "--max-reports-per-study",
            defaultValue = "32",
            description =
                    "Most report messages (versions, resends) remembered per study; more are dead letters (default: ${DEFAULT-VALUE}).")
    public int maxReportsPerStudy;

    @Option(
            names = "--max-study-bytes",
            defaultValue = "67108864",
            paramLabel = "BYTES",
            description =
                    "Most encoded bytes of images and report held in state per study; a record that would exceed it is a "
                            + "dead letter (default: ${DEFAULT-VALUE}).")
    public long maxStudyBytes;

    @Option(
            names = "--max-record-bytes",
            defaultValue = "8388608",
            paramLabel = "BYTES",
            description =
                    "Largest image or report record read; larger ones are dead letters before decoding (default: ${DEFAULT-VALUE}).")
    public int maxRecordBytes;

    @Option(
            names = "--max-report-chars",
            defaultValue = "65536",
            description = "Longest report (default: ${DEFAULT-VALUE}).")
    public int maxReportChars;

    @Option(
            names = "--max-key-chars",
            defaultValue = "256",
            description = "Longest study, instance or message key and source name (default: ${DEFAULT-VALUE}).")
    public int maxKeyChars;

    @Option(
            names = "--max-output-record-bytes",
            paramLabel = "BYTES",
            description =
                    "Largest pair the sink is given; a larger one is a dead letter (default: the producers' max.request.size, "
                            + "from --kafka or 1 MiB, less 8 KiB for framing).")
    public Integer maxOutputRecordBytes;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Parallelism of sources, decoding and the join (default: ${DEFAULT-VALUE}).")
    public int parallelism;

    @Option(
            names = "--state-backend",
            defaultValue = "hashmap",
            paramLabel = "hashmap|rocksdb",
            description = {
                "Where the studies waiting for their other half are kept: hashmap (the JVM heap: fast, for tests, demos "
                        + "and small sites) or rocksdb (local disk, incremental checkpoints: for a live feed, whose images are held for "
                        + "--ttl; needs a Flink with the RocksDB backend, as the official images have) (default: ${DEFAULT-VALUE})."
            })
    public String stateBackend;

    @Option(
            names = "--checkpoint-dir",
            defaultValue = "file:///tmp/villa/join-checkpoints",
            paramLabel = "URI",
            description = "Where checkpoints are written (default: ${DEFAULT-VALUE}).")
    public String checkpointDir;

    @Option(
            names = "--group-id",
            defaultValue = "villa-join",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    public String groupId;

    @Option(
            names = "--transactional-id-prefix",
            defaultValue = "villa-join",
            description = "Prefix of the sinks' Kafka transactional ids; unique per job (default: ${DEFAULT-VALUE}).")
    public String transactionalIdPrefix;

    @Option(
            names = "--bounded",
            description =
                    "Stop at the end offsets found at start (tests, backfills, the benchmark) instead of "
                            + "running forever; studies still waiting at the end stay in the final state, without dead letters.")
    public boolean bounded;

    @Option(
            names = "--inject-failure-after",
            defaultValue = "0",
            paramLabel = "PAIRS",
            description = {
                "Fault injection, for recovery drills and tests: the join throws once (per JVM) after PAIRS pairs and a "
                        + "completed checkpoint, so the job restarts from that checkpoint as after a real failure; 0: never "
                        + "(default: ${DEFAULT-VALUE})."
            })
    public long failOnceAfter;

    /** Where a stop with a savepoint writes: --savepoint-dir, else beside --checkpoint-dir. */
    public String savepointDirectory() {
        return recovery.savepointDirectory(checkpointDir);
    }

    /** The join's settings, checked (each error names its option). */
    public JoinConfig settings() {
        int output = maxOutputRecordBytes != null
                ? maxOutputRecordBytes
                : kafka.settings().producerRecordLimit();
        return JoinConfig.builder()
                .setTtl(ttl)
                .optValFraction(valFraction)
                .optTestFraction(testFraction)
                .optMaxImagesPerStudy(maxImagesPerStudy)
                .optMaxReportsPerStudy(maxReportsPerStudy)
                .optMaxStudyBytes(maxStudyBytes)
                .optMaxRecordBytes(maxRecordBytes)
                .optMaxReportChars(maxReportChars)
                .optMaxKeyChars(maxKeyChars)
                .optMaxOutputRecordBytes(output)
                .optFailOnceAfter(failOnceAfter)
                .build();
    }

    /** 7d, 12h, 30m, 10s, 500ms, or ISO-8601 (PT10S, P7D). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        public static Duration parse(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                switch (v.charAt(v.length() - 1)) {
                    case 'd':
                        return Duration.ofDays(n);
                    case 'h':
                        return Duration.ofHours(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    case 's':
                        return Duration.ofSeconds(n);
                    default:
                        break;
                }
            } catch (RuntimeException e) {
                // falls through to the message below
            }
            throw new TypeConversionException(
                    "'" + value + "' is not a duration: use e.g. 7d, 12h, 30m, 10s, 500ms or PT10S");
        }
    }
}
