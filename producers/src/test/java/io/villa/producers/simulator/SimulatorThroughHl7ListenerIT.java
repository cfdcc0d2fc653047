package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.deid.Pseudonyms;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.TopicRecords;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.hl7.Hl7ReportHandler;
import io.villa.producers.hl7.MllpListener;
import io.villa.producers.mnist.TestMnist;
import io.villa.records.ReportStatus;
import io.villa.records.Split;
import io.villa.records.StudyReport;

/**
 * The simulator's reports through the project's own HL7 listener into the embedded broker: every message acknowledged,
 * one StudyReport each, keyed by the expected pseudonyms, the DocMNIST sentences unchanged, and none of the planted
 * values in the topic's bytes.
 */
class SimulatorThroughHl7ListenerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Pseudonyms PSEUDONYMS =
            Pseudonyms.withKey("simulator-test-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void everyReportIsAcknowledgedPseudonymisedAndFreeOfPlantedValues() throws Exception {
        String reports = "sim.study-reports";
        String dead = "sim.dead-letters";
        try (TopicAdmin admin = new TopicAdmin(KAFKA.broker().settings())) {
            admin.createIfMissing(List.of(reports, dead), 2, (short) 1);
        }
        DocMnistGenerator generator = new DocMnistGenerator(
                TestMnist.digits(),
                DocMnistConfig.builder().optSeed(7).optBudgets(64, 24, 0).build());
        StudyPlanner planner = new StudyPlanner(7, 0.3, 0.2);
        List<SimulatedStudy> reported = new ArrayList<>();
        for (Split split : List.of(Split.VAL, Split.TRAIN)) {
            for (Iterator<DocMnistSample> it = generator.samples(split); it.hasNext(); ) {
                SimulatedStudy study = planner.plan(it.next());
                if (study.kind().hasReport()) {
                    reported.add(study);
                }
            }
        }
        long messages = reported.size()
                + reported.stream().filter(SimulatedStudy::corrected).count();

        SimulationSummary summary;
        try (Hl7ReportHandler handler = Hl7ReportHandler.builder()
                        .setKafka(KAFKA.broker().settings())
                        .setPseudonyms(PSEUDONYMS)
                        .setReportsTopic(reports)
                        .setDeadLettersTopic(dead)
                        .build();
                MllpListener listener = MllpListener.builder()
                        .setPort(0)
                        .setHandler(handler)
                        .build()
                        .start();
                MllpSender sender = new MllpSender(
                        "127.0.0.1", listener.port(), 4, Duration.ofMillis(50), Duration.ofSeconds(20))) {
            summary = HospitalSimulator.builder()
                    .setGenerator(generator)
                    .setPlanner(planner)
                    .optSplits(List.of(Split.VAL, Split.TRAIN))
                    .optHl7(sender)
                    .optReportDelay(Duration.ofMillis(100))
                    .optOut(dir)
                    .optPseudonyms(PSEUDONYMS)
                    .build()
                    .run();
        }
        assertThat(summary.hl7Messages()).isEqualTo(messages);
        assertThat(summary.hl7Acknowledged()).isEqualTo(messages);
        assertThat(summary.hl7Refused()).isZero();

        List<ConsumerRecord<byte[], byte[]>> records = readAll(reports, (int) messages);
        assertThat(records).hasSize((int) messages);
        List<String> planted = Files.readAllLines(dir.resolve(PlantedValues.PHI_FILE), StandardCharsets.UTF_8).stream()
                .map(line -> line.substring(line.indexOf('\t') + 1))
                .toList();
        List<StudyReport> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String bytes = (new String(record.key(), StandardCharsets.ISO_8859_1) + " "
                            + new String(record.value(), StandardCharsets.ISO_8859_1))
                    .toLowerCase(Locale.ROOT);
            for (String value : planted) {
                assertThat(bytes)
                        .as("the reports topic holds the planted %s", value)
                        .doesNotContain(value.toLowerCase(Locale.ROOT));
            }
            decoded.add(Hl7ReportHandler.STUDY_REPORT.decode(record.value()));
        }
        for (SimulatedStudy study : reported) {
            String studyKey = PSEUDONYMS.of("accession", study.accessionNumber());
            List<StudyReport> mine = decoded.stream()
                    .filter(r -> r.getStudyKey().equals(studyKey))
                    .toList();
            assertThat(mine).hasSize(study.corrected() ? 2 : 1);
            StudyReport last = mine.stream()
                    .filter(r -> r.getStatus() == (study.corrected() ? ReportStatus.CORRECTED : ReportStatus.FINAL))
                    .findFirst()
                    .orElseThrow();
            assertThat(last.getMessageKey())
                    .isEqualTo(PSEUDONYMS.of(
                            "message", study.corrected() ? study.correctedControlId() : study.finalControlId()));
            // the DocMNIST sentences pass the scrubber unchanged, on their own line after the scrubbed header
            List<String> lines = List.of(last.getReport().split("\n"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo(study.sample().report());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return TopicRecords.raw(KAFKA.broker().settings(), topic, atLeast);
    }
}
