package io.villa.producers.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.villa.deid.Pseudonyms;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.TopicRecords;
import io.villa.records.DeadLetter;
import io.villa.records.ReportStatus;
import io.villa.records.StudyReport;
import io.villa.schemas.Codecs;

/** The HL7 listener over a real MLLP socket, into the embedded Kafka broker. */
class Hl7ListenerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Pseudonyms PSEUDONYMS =
            Pseudonyms.withKey("a-test-key-of-at-least-32-bytes-!!".getBytes(StandardCharsets.UTF_8));
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private String reportsTopic;
    private String deadLettersTopic;

    @BeforeEach
    void topicsAndLogCapture() {
        int n = TOPICS.incrementAndGet();
        reportsTopic = "it.study-reports." + n;
        deadLettersTopic = "it.dead." + n;
        try (TopicAdmin admin = new TopicAdmin(KAFKA.broker().settings())) {
            admin.createIfMissing(List.of(reportsTopic, deadLettersTopic), 3, (short) 1);
        }
        // everything our code logs, even at DEBUG, and the frameworks at their shipped levels, is checked for PHI
        ((Logger) LoggerFactory.getLogger("io.villa")).setLevel(Level.DEBUG);
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("io.villa")).setLevel(Level.INFO);
    }

    private Hl7ReportHandler handler(int maxMessageBytes) {
        Hl7ReportHandler handler = Hl7ReportHandler.builder()
                .setKafka(KAFKA.broker().settings())
                .setPseudonyms(PSEUDONYMS)
                .setReportsTopic(reportsTopic)
                .setDeadLettersTopic(deadLettersTopic)
                .optMaxMessageBytes(maxMessageBytes)
                .build();
        closing.add(handler);
        return handler;
    }

    private MllpListener listener(Hl7ReportHandler handler, int port, int maxMessageBytes) {
        MllpListener listener = MllpListener.builder()
                .setPort(port)
                .setHandler(handler)
                .optMaxMessageBytes(maxMessageBytes)
                .build()
                .start();
        closing.add(listener);
        return listener;
    }

    @Test
    void anOruIsAcknowledgedAaAndItsReportIsOnTheTopicPseudonymisedAndScrubbed() throws Exception {
        Hl7ReportHandler handler = handler(1_000_000);
        MllpListener listener = listener(handler, 0, 1_000_000);

        // an independent MLLP client: HAPI's own initiator
        try (HapiContext context = new DefaultHapiContext()) {
            context.setValidationContext(ValidationContextFactory.noValidation());
            Connection connection = context.newClient("localhost", listener.port(), false);
            Message ack = connection
                    .getInitiator()
                    .sendAndReceive(context.getPipeParser().parse(OruFixtures.oru(1)));
            connection.close();
            Terser terser = new Terser(ack);
            assertThat(terser.get("/MSA-1")).isEqualTo("AA");
            assertThat(terser.get("/MSA-2")).isEqualTo(OruFixtures.controlId(1));
        }

        List<ConsumerRecord<String, StudyReport>> reports = readReports(1);
        assertThat(reports).hasSize(1);
        StudyReport report = reports.get(0).value();
        String studyKey = PSEUDONYMS.of("accession", OruFixtures.accession(1));
        assertThat(reports.get(0).key()).isEqualTo(studyKey);
        assertThat(report.getStudyKey()).isEqualTo(studyKey);
        assertThat(report.getMessageKey()).isEqualTo(PSEUDONYMS.of("message", OruFixtures.controlId(1)));
        assertThat(report.getSource()).isEqualTo("hl7");
        assertThat(report.getStatus()).isEqualTo(ReportStatus.FINAL);
        assertThat(report.getObservedAt()).isEqualTo(java.time.Instant.parse("2031-05-06T21:30:00Z"));
        assertThat(report.getReport())
                .contains(
                        "FINDINGS: 2.5 cm nodule in the right upper lobe. 3 mm granuloma.",
                        "deformity of T7",
                        "L1-L2",
                        "follow-up CT in 3 months",
                        "Patient [NAME] [NAME]",
                        "MRN [ID]",
                        "DOB [DATE]",
                        "[PHONE]",
                        "[ADDRESS]");
        assertThat(report.getReport().split("\n")).hasSize(6);
        for (String phi : OruFixtures.phi(1)) {
            assertThat(report.getReport()).as(phi).doesNotContainIgnoringCase(phi);
        }
        assertThat(handler.accepted()).isEqualTo(1);
        assertThat(handler.rejected()).isZero();
        assertNoPhiInLogs(OruFixtures.phi(1));
    }

    @Test
    void malformedOrUnsupportedMessagesGetAnErrorAckAndADeadLetterWithoutPhi() throws Exception {
        int limit = 4_000;
        Hl7ReportHandler handler = handler(limit);
        MllpListener listener = listener(handler, 0, limit);
        String good = OruFixtures.oru(2);
        Map<String, String> cases = new HashMap<>();
        cases.put("garbage", "Hello " + OruFixtures.FAMILY + " " + OruFixtures.mrn(2));
        cases.put("wrong type", good.replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01"));
        cases.put("no accession", good.replace(OruFixtures.accession(2), ""));
        cases.put("too large", good + OruFixtures.segment("OBX", 11, 1, "9", 2, "TX", 5, "x".repeat(limit)));
        cases.put("no text", OruFixtures.oru(2, "F", OruFixtures.accession(2), List.of()));
        cases.put(
                "bad status",
                OruFixtures.oru(2, "X", OruFixtures.accession(2), List.of("Cancelled for " + OruFixtures.FAMILY)));
        cases.put("broken MSH", "MSH|^~\\&|RIS\rPID|||" + OruFixtures.mrn(2) + "||" + OruFixtures.FAMILY + "\r");
        Map<String, String> answers = new HashMap<>();
        try (MllpTestClient client = new MllpTestClient(listener.port())) {
            for (Map.Entry<String, String> entry : cases.entrySet()) {
                answers.put(entry.getKey(), client.send(entry.getValue()));
            }
            // the connection goes on after rejections
            assertThat(MllpTestClient.ackCode(client.send(good))).isEqualTo("AA");
        }
        assertThat(MllpTestClient.ackCode(answers.get("garbage"))).isEqualTo("AR");
        assertThat(MllpTestClient.ackCode(answers.get("wrong type"))).isEqualTo("AR");
        assertThat(MllpTestClient.ackCode(answers.get("too large"))).isEqualTo("AR");
        assertThat(MllpTestClient.ackCode(answers.get("broken MSH"))).isIn("AR", "AE");
        assertThat(MllpTestClient.ackCode(answers.get("no accession"))).isEqualTo("AE");
        assertThat(MllpTestClient.ackCode(answers.get("no text"))).isEqualTo("AE");
        assertThat(MllpTestClient.ackCode(answers.get("bad status"))).isEqualTo("AE");
        assertThat(answers.get("wrong type")).contains("only ORU").contains(OruFixtures.controlId(2));
        assertThat(answers.get("too large")).contains("over the limit of 4000 bytes");
        assertThat(answers.get("no accession")).contains("no accession number in OBR-3");

        List<DeadLetter> letters = readAll(deadLettersTopic, cases.size()).stream()
                .map(record -> Codecs.DEAD_LETTER.decode(record.value()))
                .toList();
        assertThat(letters).hasSize(cases.size());
        for (DeadLetter letter : letters) {
            assertThat(letter.getStage()).isEqualTo(Hl7ReportHandler.STAGE);
            assertThat(letter.getOriginalValue()).isNull();
            assertThat(letter.getErrorMessage()).isNotBlank();
            for (String phi : OruFixtures.phi(2)) {
                assertThat(letter.getErrorMessage() + " " + letter.getInput())
                        .as(phi)
                        .doesNotContainIgnoringCase(phi);
            }
        }
        assertThat(letters)
                .filteredOn(l -> l.getOriginalKey() != null)
                .extracting(
                        l -> StandardCharsets.UTF_8.decode(l.getOriginalKey()).toString())
                .contains(PSEUDONYMS.of("message", OruFixtures.controlId(2)));
        assertThat(handler.rejected()).isEqualTo(cases.size());
        assertThat(handler.accepted()).isEqualTo(1);

        // the PHI scan: the raw bytes of both topics and every log line
        List<String> phi = OruFixtures.phi(2);
        assertNoPhiInTopic(reportsTopic, 1, phi);
        assertNoPhiInTopic(deadLettersTopic, cases.size(), phi);
        assertNoPhiInLogs(phi);
    }

    @Test
    void aListenerStoppedAndStartedMidFeedLosesNoReportOfASenderThatResendsWhatWasNotAcked() throws Exception {
        int messages = 60;
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Hl7ReportHandler first = handler(1_000_000);
        MllpListener listener = listener(first, port, 1_000_000);

        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger resends = new AtomicInteger();
        Thread sender = new Thread(
                () -> {
                    MllpTestClient client = null;
                    for (int n = 100; n < 100 + messages; n++) {
                        while (true) {
                            try {
                                if (client == null) {
                                    client = new MllpTestClient(port);
                                }
                                String ack = client.send(OruFixtures.oru(n));
                                assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AA");
                                acked.add(n);
                                break;
                            } catch (IOException e) {
                                // no ACK: reconnect and send the same message again
                                resends.incrementAndGet();
                                closeQuietly(client);
                                client = null;
                                sleep(50);
                            }
                        }
                    }
                    closeQuietly(client);
                },
                "hl7-sender");
        sender.start();

        while (acked.size() < 20) {
            sleep(5);
        }
        listener.stop(Duration.ofSeconds(10));
        sleep(300);
        MllpListener second = listener(handler(1_000_000), port, 1_000_000);
        sender.join(60_000);
        assertThat(sender.isAlive()).isFalse();
        assertThat(acked).hasSize(messages);
        assertThat(second.port()).isEqualTo(port);
        assertThat(resends.get()).isPositive();

        // every message's report is on the topic, some perhaps twice (a resend of one stored before the stop)
        List<ConsumerRecord<String, StudyReport>> reports = readReports(messages);
        Map<String, Integer> byMessageKey = new HashMap<>();
        reports.forEach(record -> byMessageKey.merge(record.value().getMessageKey(), 1, Integer::sum));
        for (int n = 100; n < 100 + messages; n++) {
            assertThat(byMessageKey).containsKey(PSEUDONYMS.of("message", OruFixtures.controlId(n)));
        }
        assertThat(byMessageKey).hasSize(messages);
        assertThat(reports.size()).isBetween(messages, messages + 1);

        // and no planted PHI of any message in the topic's bytes or the log, stop and restart included
        List<String> phi = new ArrayList<>();
        for (int n = 100; n < 100 + messages; n++) {
            phi.addAll(OruFixtures.phi(n));
        }
        assertNoPhiInTopic(reportsTopic, reports.size(), phi);
        assertNoPhiInLogs(phi);
    }

    private void assertNoPhiInLogs(List<String> phi) {
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            String line = (event.getFormattedMessage() + " "
                            + (event.getThrowableProxy() == null
                                    ? ""
                                    : ThrowableProxyUtil.asString(event.getThrowableProxy())))
                    .toLowerCase(Locale.ROOT);
            for (String value : phi) {
                assertThat(line)
                        .as("log line of %s holds %s", event.getLoggerName(), value)
                        .doesNotContain(value.toLowerCase(Locale.ROOT));
            }
        }
    }

    private void assertNoPhiInTopic(String topic, int expected, List<String> phi) {
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, expected);
        assertThat(records).hasSize(expected);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String bytes = (new String(record.key() == null ? new byte[0] : record.key(), StandardCharsets.ISO_8859_1)
                            + " " + new String(record.value(), StandardCharsets.ISO_8859_1))
                    .toLowerCase(Locale.ROOT);
            for (String value : phi) {
                assertThat(bytes).as("%s holds %s", topic, value).doesNotContain(value.toLowerCase(Locale.ROOT));
            }
        }
    }

    private List<ConsumerRecord<String, StudyReport>> readReports(int atLeast) {
        return TopicRecords.drain(
                KafkaClients.consumer(KAFKA.broker().settings(), "it-" + reportsTopic, Hl7ReportHandler.STUDY_REPORT),
                reportsTopic,
                atLeast);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return TopicRecords.raw(KAFKA.broker().settings(), topic, atLeast);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(MllpTestClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
