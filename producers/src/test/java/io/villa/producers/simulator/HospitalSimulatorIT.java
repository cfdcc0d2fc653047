package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.mnist.TestMnist;
import io.villa.records.Split;

/**
 * A small simulated run against real servers: an Orthanc process with DICOMweb (STOW-RS in, QIDO-RS and the instances'
 * DICOM JSON out) and HAPI's MLLP server, which refuses the first message once.
 */
class HospitalSimulatorIT {

    @TempDir
    Path dir;

    @Test
    void everyStudyReachesThePacsAndTheListenerAsPlanned() throws Exception {
        assumeTrue(
                OrthancProcess.available(),
                "Orthanc with its DICOMweb plugin not installed (apt-get install orthanc orthanc-dicomweb)");
        assumeTrue(Dcmtk.available("img2dcm"), "DCMTK's img2dcm not installed (apt-get install dcmtk)");

        DocMnistConfig config = DocMnistConfig.builder().optBudgets(64, 24, 24).build();
        DocMnistGenerator generator = new DocMnistGenerator(TestMnist.digits(), config);
        StudyPlanner planner = new StudyPlanner(42, 0.4, 0.3);
        List<SimulatedStudy> planned = new ArrayList<>();
        for (Split split : List.of(Split.VAL, Split.TRAIN, Split.TEST)) {
            for (Iterator<DocMnistSample> it = generator.samples(split); it.hasNext(); ) {
                planned.add(planner.plan(it.next()));
            }
        }
        List<SimulatedStudy> withImage =
                planned.stream().filter(s -> s.kind().hasImage()).toList();
        List<SimulatedStudy> withReport =
                planned.stream().filter(s -> s.kind().hasReport()).toList();
        long messages = withReport.size()
                + withReport.stream().filter(SimulatedStudy::corrected).count();
        // the seed gives every case at least once
        assertThat(planned)
                .anyMatch(s -> s.kind() == StudyKind.IMAGE_ONLY)
                .anyMatch(s -> s.kind() == StudyKind.REPORT_ONLY)
                .anyMatch(SimulatedStudy::corrected);

        Path out = dir.resolve("out");
        Path dicom = dir.resolve("dicom");
        SimulationSummary summary;
        List<String> received;
        Map<String, JsonNode> instances = new HashMap<>();
        try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(dir.resolve("orthanc")), false);
                Hl7TestListener listener = new Hl7TestListener(1);
                MllpSender sender = new MllpSender(
                        "127.0.0.1", listener.port(), 4, Duration.ofMillis(50), Duration.ofSeconds(10))) {
            summary = HospitalSimulator.builder()
                    .setGenerator(generator)
                    .setPlanner(planner)
                    .optPacs(new StowRsClient(orthanc.dicomWebUrl(), null), new DicomStudyWriter("img2dcm"))
                    .optHl7(sender)
                    .optReportDelay(Duration.ofMillis(300))
                    .optOut(out)
                    .optKeepDicom(dicom)
                    .build()
                    .run();
            received = listener.received();

            // QIDO-RS: exactly the studies with an image, one instance each
            JsonNode found = getJson(orthanc.restUrl() + "/dicom-web/instances?includefield=00080050");
            assertThat(found).hasSize(withImage.size());
            for (SimulatedStudy study : withImage) {
                JsonNode metadata =
                        getJson(orthanc.restUrl() + "/dicom-web/studies/" + study.studyInstanceUid() + "/series/"
                                + study.seriesInstanceUid() + "/instances/" + study.sopInstanceUid() + "/metadata");
                instances.put(study.pairId(), metadata.get(0));
            }
        }

        assertThat(summary.studies()).isEqualTo(planned.size());
        assertThat(summary.imagesStored()).isEqualTo(withImage.size());
        assertThat(summary.imagesFailed()).isZero();
        assertThat(summary.hl7Messages()).isEqualTo(messages);
        assertThat(summary.hl7Acknowledged()).isEqualTo(messages);
        assertThat(summary.hl7Refused()).isEqualTo(1);
        assertThat(summary.hl7Sent()).isEqualTo(messages + 1);
        assertThat(summary.complete()).isTrue();
        assertThat(received).hasSize((int) messages + 1);

        // the DICOM instances, as the PACS holds them
        for (SimulatedStudy study : withImage) {
            JsonNode tags = instances.get(study.pairId());
            assertThat(string(tags, "00080060")).isEqualTo("CR");
            assertThat(tags.get("00100010")
                            .get("Value")
                            .get(0)
                            .get("Alphabetic")
                            .asText())
                    .isEqualTo(study.patient().dicomName());
            assertThat(string(tags, "00100020")).isEqualTo(study.patient().mrn());
            assertThat(string(tags, "00100030")).isEqualTo(study.patient().birthDateDa());
            assertThat(string(tags, "00080050")).isEqualTo(study.accessionNumber());
            assertThat(string(tags, "00185101")).isEqualTo(study.viewPosition());
            assertThat(string(tags, "00280004")).isEqualTo("RGB");
            assertThat(string(tags, "00204000")).isEqualTo(SimulatorTruth.comment(study.sample()));
        }
        try (var files = Files.list(dicom)) {
            assertThat(files.count()).isEqualTo(withImage.size());
        }
        // the DICOM pixels are the direct path's: the PNG of the DocMNIST record, pixel for pixel (read by dcmdump)
        if (Dcmtk.available("dcmdump")) {
            for (SimulatedStudy study : withImage) {
                BufferedImage direct = ImageIO.read(new ByteArrayInputStream(
                        generator.record(study.sample()).getImage().getData().array()));
                Path raw = Files.createDirectories(dir.resolve("raw").resolve(study.pairId()));
                Dcmtk.run(List.of(
                        "dcmdump",
                        "-q",
                        "+W",
                        raw.toString(),
                        dicom.resolve(study.pairId() + ".dcm").toString()));
                byte[] pixels;
                try (var files = Files.list(raw)) {
                    pixels = Files.readAllBytes(files.filter(f -> f.toString().endsWith(".raw"))
                            .findFirst()
                            .orElseThrow());
                }
                int width = direct.getWidth();
                for (int y = 0; y < direct.getHeight(); y++) {
                    for (int x = 0; x < width; x++) {
                        int at = (y * width + x) * 3;
                        int rgb = (pixels[at] & 0xff) << 16 | (pixels[at + 1] & 0xff) << 8 | (pixels[at + 2] & 0xff);
                        if (rgb != (direct.getRGB(x, y) & 0xffffff)) {
                            throw new AssertionError(study.pairId() + ": pixel (" + x + "," + y + ") differs");
                        }
                    }
                }
            }
        }

        // the HL7 messages: one FINAL per reported study, then its CORRECTED one with a new MSH-10; none for orphan
        // images
        Map<String, List<Terser>> byAccession = new HashMap<>();
        Set<String> controlIds = new HashSet<>();
        Set<String> phiSent = new HashSet<>();
        try (HapiContext context = new DefaultHapiContext()) {
            context.setValidationContext(ValidationContextFactory.noValidation());
            for (String text : received) {
                Message message = context.getPipeParser().parse(text);
                assertThat(message).isInstanceOf(ORU_R01.class);
                Terser terser = new Terser(message);
                if (controlIds.add(terser.get("/MSH-10"))) {
                    byAccession
                            .computeIfAbsent(terser.get("/.OBR-3"), a -> new ArrayList<>())
                            .add(terser);
                }
                phiSent.add(terser.get("/.PID-3-1"));
                phiSent.add(terser.get("/.PID-5-1") + "^" + terser.get("/.PID-5-2"));
                phiSent.add(terser.get("/.PID-7"));
                phiSent.add(terser.get("/.PID-11-1"));
                phiSent.add(terser.get("/.PID-11-3"));
                phiSent.add(terser.get("/.PID-13-1"));
                phiSent.add(terser.get("/.OBR-3"));
            }
        }
        assertThat(controlIds).hasSize((int) messages);
        assertThat(byAccession.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        withReport.stream().map(SimulatedStudy::accessionNumber).toList());
        for (SimulatedStudy study : withReport) {
            List<Terser> reports = byAccession.get(study.accessionNumber());
            assertThat(reports.get(0).get("/.OBR-25")).isEqualTo("F");
            if (study.corrected()) {
                assertThat(reports).hasSize(2);
                assertThat(reports.get(1).get("/.OBR-25")).isEqualTo("C");
                assertThat(reports.get(1).get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION(1)/OBX-5"))
                        .isEqualTo(study.sample().report());
            } else {
                assertThat(reports).hasSize(1);
                assertThat(reports.get(0).get("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION(1)/OBX-5"))
                        .isEqualTo(study.sample().report());
            }
        }

        // every identifying value sent, in the DICOM or the HL7, is in the planted list
        for (JsonNode tags : instances.values()) {
            phiSent.add(
                    tags.get("00100010").get("Value").get(0).get("Alphabetic").asText());
            for (String tag : List.of(
                    "00100020",
                    "00100030",
                    "00101040",
                    "00102154",
                    "00080050",
                    "0020000D",
                    "0020000E",
                    "00080018",
                    "00080020")) {
                phiSent.add(string(tags, tag));
            }
        }
        Set<String> plantedValues = new HashSet<>();
        for (String line : Files.readAllLines(out.resolve(PlantedValues.PHI_FILE), StandardCharsets.UTF_8)) {
            plantedValues.add(line.substring(line.indexOf('\t') + 1));
        }
        assertThat(plantedValues).containsAll(phiSent);

        // the expected studies: one row per DocMNIST image, with its outcome
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve(PlantedValues.STUDIES_FILE), StandardCharsets.UTF_8)) {
            rows.add(json.readTree(line));
        }
        assertThat(rows)
                .extracting(row -> row.get("pairId").asText())
                .containsExactlyInAnyOrderElementsOf(
                        planned.stream().map(SimulatedStudy::pairId).toList());
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("imageStored").asBoolean())
                    .isEqualTo(!row.get("kind").asText().equals("REPORT_ONLY"));
            assertThat(row.get("acknowledgedControlIds")).hasSameSizeAs(row.get("messageControlIds"));
        });
    }

    /** A DICOMweb GET (QIDO-RS, WADO-RS metadata) as JSON. */
    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .header("Accept", "application/dicom+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static String string(JsonNode tags, String tag) {
        JsonNode element = tags.get(tag);
        assertThat(element).as("tag " + tag).isNotNull();
        return element.get("Value").get(0).asText();
    }
}
