package io.villa.cli.commands;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.apache.flink.annotation.VisibleForTesting;

import io.villa.deid.PseudonymKeyOptions;
import io.villa.deid.Pseudonyms;
import io.villa.kafka.FatalKafkaException;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaOptions;
import io.villa.producers.hl7.AccessionField;
import io.villa.producers.hl7.Hl7ReportHandler;
import io.villa.producers.hl7.MllpListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** villa produce hl7: an HL7 v2 (MLLP) listener that turns ORU^R01 reports into de-identified StudyReports. */
@Command(
        name = "hl7",
        mixinStandardHelpOptions = true,
        description = {
            "Listens for HL7 v2 ORU^R01 result messages over MLLP (a RIS's report feed) and",
            "writes each study's report, de-identified, to the study-reports topic (key: the",
            "pseudonym of the accession number). A message is ACKed AA only once Kafka has",
            "acknowledged its report; one that cannot be taken gets AE/AR with the reason and a",
            "dead letter without PHI. Ctrl-C (SIGINT) or SIGTERM: the messages in hand finish."
        })
final class ProduceHl7Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PseudonymKeyOptions pseudonymKey;

    @Option(
            names = "--listen",
            paramLabel = "PORT",
            required = true,
            description = "The TCP port to listen on for MLLP.")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "0.0.0.0",
            description =
                    "The address to listen on (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this host only).")
    String bind;

    @Option(
            names = "--accession-field",
            paramLabel = "FIELD",
            defaultValue = "OBR-3",
            converter = AccessionFieldConverter.class,
            description = "Where the accession number is: OBR-3 (filler order number), OBR-18 (placer field 1) or OBR-2"
                    + " (placer order number) (default: ${DEFAULT-VALUE}).")
    AccessionField accessionField;

    @Option(
            names = "--max-message-bytes",
            paramLabel = "BYTES",
            defaultValue = "1000000",
            description =
                    "Largest message taken; larger ones are rejected (AR) and dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "32",
            description = "Most senders connected at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(
            names = "--charset",
            paramLabel = "NAME",
            defaultValue = "UTF-8",
            description =
                    "How senders encode messages, e.g. ISO-8859-1 (default: ${DEFAULT-VALUE}, which reads ASCII too).")
    Charset charset;

    @Option(
            names = "--source",
            paramLabel = "NAME",
            defaultValue = "hl7",
            description = "Feed name written into each report (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(
            names = "--topic-study-reports",
            paramLabel = "TOPIC",
            defaultValue = FeedTopicNames.DEFAULT_STUDY_REPORTS,
            description = "Study-report topic (default: ${DEFAULT-VALUE}).")
    String reportsTopic;

    @Option(
            names = "--ack-timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description =
                    "How long a message waits for Kafka before it is answered AE, to be sent again (default: ${DEFAULT-VALUE}).")
    int ackTimeoutSeconds;

    @Option(
            names = "--stop-timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "On Ctrl-C, how long messages in hand may take to finish (default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    /** Completes when the listener should stop; tests complete it instead of sending a signal. */
    @VisibleForTesting
    CompletableFuture<String> stopRequest;

    /** The listener, once started (tests read its port). */
    @VisibleForTesting
    volatile MllpListener listener;

    @Override
    public Integer call() throws Exception {
        if (ackTimeoutSeconds < 1 || stopTimeoutSeconds < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--ack-timeout and --stop-timeout must be at least 1 second");
        }
        Pseudonyms pseudonyms;
        try {
            pseudonyms = pseudonymKey.pseudonyms();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--bind: unknown address " + bind);
        }
        Hl7ReportHandler.Builder handlerBuilder;
        MllpListener.Builder listenerBuilder;
        try {
            handlerBuilder = Hl7ReportHandler.builder()
                    .setKafka(kafka.settings())
                    .setPseudonyms(pseudonyms)
                    .setReportsTopic(reportsTopic)
                    .setDeadLettersTopic(kafka.topics().deadLetters())
                    .optAccessionField(accessionField)
                    .optSource(source)
                    .optCharset(charset)
                    .optMaxMessageBytes(maxMessageBytes)
                    .optSendTimeout(Duration.ofSeconds(ackTimeoutSeconds));
            listenerBuilder = MllpListener.builder()
                    .setPort(port)
                    .optBindAddress(address)
                    .optMaxMessageBytes(maxMessageBytes)
                    .optMaxConnections(maxConnections);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (StopSignals signals = StopSignals.install()) {
            CompletableFuture<String> stop = stopRequest != null ? stopRequest : signals.received();
            Hl7ReportHandler handler;
            try {
                handler = handlerBuilder.build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (handler) {
                listener = listenerBuilder.setHandler(handler).build().start();
                spec.commandLine()
                        .getOut()
                        .printf(
                                "HL7 listener on %s:%d -> %s (Ctrl-C to stop)%n",
                                address.getHostAddress(), listener.port(), reportsTopic);
                spec.commandLine().getOut().flush();
                // a signal, or a Kafka error that would answer every message after it AE (see Hl7ReportHandler)
                Object reason =
                        CompletableFuture.anyOf(stop, handler.fatalError()).get();
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%s: finishing the messages in hand%n",
                                reason instanceof FatalKafkaException ? "Kafka failed" : reason);
                listener.stop(Duration.ofSeconds(stopTimeoutSeconds));
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%d messages accepted (%d reports), %d rejected to %s, %d not stored%n",
                                handler.accepted(),
                                handler.reports(),
                                handler.rejected(),
                                kafka.topics().deadLetters(),
                                handler.unstored());
                spec.commandLine().getOut().flush();
                if (reason instanceof FatalKafkaException fatal) {
                    throw fatal;
                }
            }
        }
        return 0;
    }

    /** Reads OBR-3, obr-18, OBR2 and the like. */
    static final class AccessionFieldConverter implements picocli.CommandLine.ITypeConverter<AccessionField> {
        @Override
        public AccessionField convert(String value) {
            return AccessionField.parse(value);
        }
    }
}
