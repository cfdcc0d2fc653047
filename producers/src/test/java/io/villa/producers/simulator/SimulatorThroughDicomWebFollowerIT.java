package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.deid.Pseudonyms;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.TopicRecords;
import io.villa.producers.dicomweb.DicomWebAuth;
import io.villa.producers.dicomweb.DicomWebClient;
import io.villa.producers.dicomweb.DicomWebFollower;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.dicomweb.StudyImageMapper;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.mnist.TestMnist;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.records.StudyImage;
import io.villa.schemas.AvroCodec;

/**
 * The simulator's studies through a real Orthanc and the project's DICOMweb follower (with --simulator-truth) into the
 * embedded broker: one StudyImage per stored instance, keyed by the expected pseudonyms, with the DocMNIST record's
 * split, boxes, ground truth and pixels, and none of the planted values in the topic's bytes.
 */
class SimulatorThroughDicomWebFollowerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Pseudonyms PSEUDONYMS =
            Pseudonyms.withKey("simulator-test-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8));
    private static final AvroCodec<StudyImage> STUDY_IMAGE = AvroCodec.of(StudyImage.class);

    @TempDir
    Path dir;

    @Test
    void everyStoredStudyBecomesAStudyImageWithTheDirectPathsTruthAndPixels() throws Exception {
        assumeTrue(OrthancProcess.available(), "Orthanc with its DICOMweb plugin not installed");
        assumeTrue(Dcmtk.available("img2dcm"), "DCMTK's img2dcm not installed");
        String images = "sim.study-images";
        String dead = "sim.dead-letters";
        String positions = "sim.positions";
        try (TopicAdmin admin = new TopicAdmin(KAFKA.broker().settings())) {
            admin.createIfMissing(List.of(images, dead, positions), 2, (short) 1);
        }
        DocMnistGenerator generator = new DocMnistGenerator(
                TestMnist.digits(),
                DocMnistConfig.builder().optSeed(9).optBudgets(48, 16, 0).build());
        StudyPlanner planner = new StudyPlanner(9, 0, 0.3);
        List<SimulatedStudy> withImage = new ArrayList<>();
        for (Split split : List.of(Split.VAL, Split.TRAIN)) {
            for (Iterator<DocMnistSample> it = generator.samples(split); it.hasNext(); ) {
                SimulatedStudy study = planner.plan(it.next());
                if (study.kind().hasImage()) {
                    withImage.add(study);
                }
            }
        }
        try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(dir.resolve("orthanc")), false)) {
            SimulationSummary summary = HospitalSimulator.builder()
                    .setGenerator(generator)
                    .setPlanner(planner)
                    .optSplits(List.of(Split.VAL, Split.TRAIN))
                    .optPacs(new StowRsClient(orthanc.dicomWebUrl(), null), new DicomStudyWriter("img2dcm"))
                    .optOut(dir.resolve("out"))
                    .build()
                    .run();
            assertThat(summary.imagesStored()).isEqualTo(withImage.size());
            try (DicomWebFollower follower = DicomWebFollower.builder()
                    .setClient(new DicomWebClient(
                            URI.create(orthanc.dicomWebUrl()), DicomWebAuth.none(), Duration.ofSeconds(30)))
                    .setMapper(StudyImageMapper.builder()
                            .setPseudonyms(PSEUDONYMS)
                            .optSimulatorTruth(true)
                            .build())
                    .setKafka(KAFKA.broker().settings())
                    .setImagesTopic(images)
                    .setDeadLettersTopic(dead)
                    .optPositionsTopic(positions)
                    .optPollInterval(Duration.ofMillis(100))
                    .optBounded(true)
                    .build()) {
                assertThat(follower.run().sent()).isEqualTo(withImage.size());
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = readAll(images, withImage.size());
        assertThat(records).hasSize(withImage.size());
        List<String> planted =
                Files.readAllLines(dir.resolve("out").resolve(PlantedValues.PHI_FILE), StandardCharsets.UTF_8).stream()
                        .map(line -> line.substring(line.indexOf('\t') + 1))
                        .toList();
        List<StudyImage> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String bytes = (new String(record.key(), StandardCharsets.ISO_8859_1) + " "
                            + new String(record.value(), StandardCharsets.ISO_8859_1))
                    .toLowerCase(Locale.ROOT);
            for (String value : planted) {
                assertThat(bytes)
                        .as("the images topic holds the planted %s", value)
                        .doesNotContain(value.toLowerCase(Locale.ROOT));
            }
            decoded.add(STUDY_IMAGE.decode(record.value()));
        }
        for (SimulatedStudy study : withImage) {
            String instanceKey = PSEUDONYMS.of("instance", study.sopInstanceUid());
            StudyImage image = decoded.stream()
                    .filter(i -> i.getInstanceKey().equals(instanceKey))
                    .findFirst()
                    .orElseThrow();
            assertThat(image.getStudyKey()).isEqualTo(PSEUDONYMS.of("accession", study.accessionNumber()));
            ImageReportPair direct = generator.record(study.sample());
            assertThat(image.getSplit()).isEqualTo(direct.getSplit());
            assertThat(image.getRegions()).isEqualTo(direct.getRegions());
            assertThat(image.getGroundTruth()).isEqualTo(direct.getGroundTruth());
            assertThat(image.getViewPosition()).isEqualTo(study.viewPosition());
            BufferedImage got = ImageIO.read(
                    new ByteArrayInputStream(image.getImage().getData().array()));
            BufferedImage want = ImageIO.read(
                    new ByteArrayInputStream(direct.getImage().getData().array()));
            assertThat(got.getWidth()).isEqualTo(want.getWidth());
            assertThat(got.getHeight()).isEqualTo(want.getHeight());
            for (int y = 0; y < want.getHeight(); y++) {
                for (int x = 0; x < want.getWidth(); x++) {
                    if ((got.getRGB(x, y) & 0xffffff) != (want.getRGB(x, y) & 0xffffff)) {
                        throw new AssertionError(
                                study.pairId() + ": pixel (" + x + "," + y + ") differs from the direct path");
                    }
                }
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return TopicRecords.raw(KAFKA.broker().settings(), topic, atLeast);
    }
}
