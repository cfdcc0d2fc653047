package io.villa.cli.commands;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.villa.deid.PseudonymKeyOptions;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaOptions;
import io.villa.producers.dicomweb.DicomWebAuth;
import io.villa.producers.dicomweb.DicomWebClient;
import io.villa.producers.dicomweb.DicomWebFollower;
import io.villa.producers.dicomweb.FeedPositionStore;
import io.villa.producers.dicomweb.StudyImageMapper;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** villa produce dicomweb: follows a PACS over DICOMweb and sends de-identified StudyImages. */
@Command(
        name = "dicomweb",
        mixinStandardHelpOptions = true,
        description = {
            "Follows a PACS over DICOMweb: finds new instances with QIDO-RS, fetches their attributes and",
            "the server's rendered image (WADO-RS), and sends de-identified StudyImages to the study images topic",
            "(key = pseudonym of the accession number). No patient name, id, date, accession number or UID leaves:",
            "the accession number and SOP instance UID become keyed pseudonyms (--pseudonym-key-file or",
            "VILLA_PSEUDONYM_KEY); Modality and ViewPosition are the only attributes copied.",
            "Images marked BurnedInAnnotation=YES go to the dead-letter topic unless --allow-burned-in.",
            "The position (instances already handled) is written with the images in one Kafka transaction, so a",
            "restart neither resends nor skips an instance. Runs until Ctrl-C, or with --bounded until caught up.",
            "Exit code 0; 3 when some instances were dead-lettered or left for a later try."
        })
final class ProduceDicomWebCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description =
                    "The DICOMweb service root, e.g. http://pacs:8042/dicom-web (Orthanc) or your PACS's QIDO/WADO-RS root.")
    URI url;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PseudonymKeyOptions pseudonymKey;

    @Option(
            names = "--modality",
            split = ",",
            defaultValue = "CR,DX",
            paramLabel = "CODE",
            description = "Modalities to follow, one QIDO-RS search each (default: ${DEFAULT-VALUE}; * = all).")
    List<String> modalities;

    @Option(
            names = "--series-description",
            paramLabel = "REGEX",
            description = "Only series whose SeriesDescription contains a match (Java regex); others are skipped.")
    String seriesDescription;

    @Option(
            names = "--max-side",
            paramLabel = "PIXELS",
            defaultValue = "1024",
            description = "Downscale images whose longest side is larger (default: ${DEFAULT-VALUE}; 0 = never).")
    int maxSide;

    @Option(
            names = "--poll-interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Wait between passes that found nothing new (default: ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--bounded", description = "Stop when a pass finds nothing new (caught up), instead of following.")
    boolean bounded;

    @Option(
            names = "--allow-burned-in",
            description =
                    "Send images whose BurnedInAnnotation (0028,0301) is YES (default: refuse them to the dead-letter topic).")
    boolean allowBurnedIn;

    @Option(
            names = "--simulator-truth",
            description =
                    "Read the hospital simulator's ground truth from ImageComments (synthetic data only; default: ignored).")
    boolean simulatorTruth;

    @Option(
            names = "--invert-monochrome1",
            description =
                    "Invert MONOCHROME1 images after rendering, for a server whose rendering does not (Orthanc does).")
    boolean invertMonochrome1;

    @Option(
            names = "--feed-id",
            paramLabel = "NAME",
            defaultValue = "dicomweb",
            description =
                    "Names this feed: its source field, its position and its Kafka transactional id (default: ${DEFAULT-VALUE}).")
    String feedId;

    @Option(
            names = "--topic-study-images",
            paramLabel = "TOPIC",
            defaultValue = FeedTopicNames.DEFAULT_STUDY_IMAGES,
            description = "Study images topic (default: ${DEFAULT-VALUE}).")
    String imagesTopic;

    @Option(
            names = "--topic-feed-positions",
            paramLabel = "TOPIC",
            defaultValue = FeedPositionStore.DEFAULT_TOPIC,
            description = "Compacted topic of feed positions, created when missing (default: ${DEFAULT-VALUE}).")
    String positionsTopic;

    @Option(
            names = "--positions-replication",
            paramLabel = "N",
            defaultValue = "1",
            description = "Replication factor of the positions topic when created (default: ${DEFAULT-VALUE}).")
    short positionsReplication;

    @Option(
            names = "--fetch-threads",
            paramLabel = "N",
            defaultValue = "4",
            description = "Instances fetched at once (default: ${DEFAULT-VALUE}).")
    int fetchThreads;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "50",
            description = "Instances per Kafka transaction (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--page-size",
            paramLabel = "N",
            defaultValue = "100",
            description = "Instances per QIDO-RS page (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(
            names = "--http-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Timeout of one DICOMweb request (default: ${DEFAULT-VALUE}).")
    int httpTimeout;

    @ArgGroup(exclusive = true)
    Auth auth;

    /** Credentials for a PACS that wants them, from files (never on the command line). */
    static final class Auth {
        @Option(
                names = "--bearer-token-file",
                paramLabel = "FILE",
                description = "Send the token in this file as a bearer token.")
        Path bearerTokenFile;

        @Option(
                names = "--basic-auth-file",
                paramLabel = "FILE",
                description = "HTTP basic auth from this file: one line user:password.")
        Path basicAuthFile;
    }

    @Override
    public Integer call() throws Exception {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new ParameterException(spec.commandLine(), "--url: an http or https URL is needed");
        }
        if (pollSeconds < 0 || maxSide < 0 || httpTimeout <= 0) {
            throw new ParameterException(
                    spec.commandLine(), "--poll-interval and --max-side must not be negative, --http-timeout positive");
        }
        Pattern series = null;
        if (seriesDescription != null) {
            try {
                series = Pattern.compile(seriesDescription);
            } catch (PatternSyntaxException e) {
                throw new ParameterException(
                        spec.commandLine(), "--series-description: not a regular expression: " + e.getDescription());
            }
        }
        List<String> codes = new ArrayList<>(new LinkedHashSet<>(modalities.stream()
                .map(m -> m.strip().toUpperCase(Locale.ROOT))
                .filter(m -> !m.isEmpty())
                .toList()));
        if (codes.contains("*")) {
            codes = List.of();
        }
        DicomWebAuth credentials = auth == null
                ? DicomWebAuth.none()
                : auth.bearerTokenFile != null
                        ? DicomWebAuth.bearerTokenFile(auth.bearerTokenFile)
                        : DicomWebAuth.basicAuthFile(auth.basicAuthFile);
        StudyImageMapper mapper = StudyImageMapper.builder()
                .setPseudonyms(pseudonymKey.pseudonyms())
                .optSource(feedId)
                .optModalities(new LinkedHashSet<>(codes))
                .optSeriesDescription(series)
                .optAllowBurnedIn(allowBurnedIn)
                .optSimulatorTruth(simulatorTruth)
                .optInvertMonochrome1(invertMonochrome1)
                .optMaxSide(maxSide)
                .build();
        DicomWebFollower follower = DicomWebFollower.builder()
                .setClient(new DicomWebClient(url, credentials, Duration.ofSeconds(httpTimeout)))
                .setMapper(mapper)
                .setKafka(kafka.settings())
                .setImagesTopic(imagesTopic)
                .setDeadLettersTopic(kafka.topics().deadLetters())
                .optPositionsTopic(positionsTopic)
                .optPositionsReplication(positionsReplication)
                .optFeedId(feedId)
                .optModalities(codes)
                .optPageSize(pageSize)
                .optBatchSize(batch)
                .optFetchThreads(fetchThreads)
                .optPollInterval(Duration.ofMillis((long) (pollSeconds * 1000)))
                .optBounded(bounded)
                .build();
        DicomWebFollower.Summary summary;
        try (StopSignals signals = StopSignals.install();
                follower) {
            signals.received().thenRun(follower::stop);
            summary = follower.run();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "dicomweb %s -> %s: sent %d, dead-lettered %d, skipped %d, left for a later try %d; %d instances handled in all%n",
                        feedId,
                        imagesTopic,
                        summary.sent(),
                        summary.deadLettered(),
                        summary.skipped(),
                        summary.retried(),
                        summary.positionSize());
        spec.commandLine().getOut().flush();
        return summary.deadLettered() == 0 && summary.retried() == 0 ? 0 : ProduceCommand.SOME_FAILED;
    }
}
