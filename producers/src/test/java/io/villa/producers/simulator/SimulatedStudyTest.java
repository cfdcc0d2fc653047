package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.util.Terser;
import io.villa.deid.Pseudonyms;
import io.villa.producers.docmnist.DocMnistRegion;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.records.Split;

/** Planning studies, the simulator truth, the ORU^R01 and the planted values, without any server. */
class SimulatedStudyTest {

    static DocMnistSample sample(Split split, long index) {
        List<DocMnistRegion> regions =
                List.of(new DocMnistRegion(1, 0, 7, 2, 0, 1, 8, 9), new DocMnistRegion(5, 3, 3, 0, -1, -1, 0, 0));
        return new DocMnistSample(
                "docmnist-s1-c8-" + split.name().toLowerCase() + "-" + index,
                split,
                index,
                regions,
                "the image shows a seven . the color is red . the shape is a circle");
    }

    @Test
    void theSameStudyIsPlannedTheSameWayAndUidsAreValid() {
        StudyPlanner planner = new StudyPlanner(7, 0.5, 0.5);
        SimulatedStudy a = planner.plan(sample(Split.TRAIN, 3));
        SimulatedStudy b = planner.plan(sample(Split.TRAIN, 3));
        assertThat(a).isEqualTo(b);
        assertThat(List.of(a.studyInstanceUid(), a.seriesInstanceUid(), a.sopInstanceUid()))
                .allSatisfy(uid -> assertThat(DicomUids.isValid(uid)).as(uid).isTrue())
                .doesNotHaveDuplicates();
        assertThat(a.accessionNumber()).hasSizeLessThanOrEqualTo(16); // DICOM SH
        assertThat(a.patient().address()).hasSizeLessThanOrEqualTo(64); // DICOM LO
        SimulatedStudy other = planner.plan(sample(Split.TEST, 3));
        assertThat(other.accessionNumber()).isNotEqualTo(a.accessionNumber());
        assertThat(other.sopInstanceUid()).isNotEqualTo(a.sopInstanceUid());
    }

    @Test
    void fractionsGiveOrphansAndCorrectionsInProportion() {
        StudyPlanner planner = new StudyPlanner(11, 0.2, 0.1);
        List<SimulatedStudy> studies = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            studies.add(planner.plan(sample(Split.TRAIN, i)));
        }
        long imageOnly =
                studies.stream().filter(s -> s.kind() == StudyKind.IMAGE_ONLY).count();
        long reportOnly =
                studies.stream().filter(s -> s.kind() == StudyKind.REPORT_ONLY).count();
        long corrected = studies.stream().filter(SimulatedStudy::corrected).count();
        assertThat(imageOnly + reportOnly).isBetween(320L, 480L);
        assertThat(imageOnly).isBetween(140L, 260L);
        assertThat(corrected).isBetween(600L, 840L);
        assertThat(studies.stream().filter(s -> s.kind() == StudyKind.IMAGE_ONLY))
                .noneMatch(SimulatedStudy::corrected);
        assertThat(new StudyPlanner(11, 0, 0).plan(sample(Split.VAL, 1)).kind()).isEqualTo(StudyKind.PAIRED);
        assertThatThrownBy(() -> new StudyPlanner(1, 1.5, 0)).hasMessageContaining("correctedFraction");
    }

    @Test
    void truthIsTheContractsJson() throws Exception {
        String comment = SimulatorTruth.comment(sample(Split.VAL, 0));
        assertThat(comment)
                .startsWith(
                        "villa-simulator-truth:{\"split\":\"VAL\",\"regions\":[{\"x\":28,\"y\":0,\"width\":28,\"height\":28}");
        JsonNode json = new ObjectMapper().readTree(comment.substring(SimulatorTruth.PREFIX.length()));
        assertThat(json.get("groundTruth").get(1).get("regionIndex").asInt()).isEqualTo(1);
        assertThat(json.get("groundTruth").get(0).get("attributes")).hasSize(4);
        assertThat(json.get("regions").get(1).get("x").asInt()).isEqualTo(56);
    }

    @Test
    void theDicomWebFollowerReadsTheTruthBack() throws Exception {
        DocMnistSample sample = sample(Split.TEST, 2);
        var read = io.villa.producers.dicomweb.SimulatorTruth.parse(SimulatorTruth.comment(sample), 84, 84);
        assertThat(read.split()).isEqualTo(Split.TEST);
        assertThat(read.regions())
                .isEqualTo(sample.regions().stream().map(DocMnistRegion::box).toList());
        assertThat(read.groundTruth())
                .extracting(t -> t.getAttributes())
                .containsExactly(
                        sample.regions().get(0).attributes(),
                        sample.regions().get(1).attributes());
    }

    @Test
    void oruCarriesPatientAccessionStatusAndOneObxPerLine() throws Exception {
        SimulatedStudy study = correctedStudy();
        OruMessageFactory factory = new OruMessageFactory(true);
        try (HapiContext context = new DefaultHapiContext()) {
            Message parsed =
                    context.getPipeParser().parse(factory.finalReport(study).encode());
            Terser terser = new Terser(parsed);
            assertThat(terser.get("/MSH-9-1") + "^" + terser.get("/MSH-9-2")).isEqualTo("ORU^R01");
            assertThat(terser.get("/MSH-10")).isEqualTo(study.finalControlId());
            assertThat(terser.get("/.PID-3-1")).isEqualTo(study.patient().mrn());
            assertThat(terser.get("/.PID-5-1")).isEqualTo(study.patient().familyName());
            assertThat(terser.get("/.PID-7")).isEqualTo(study.patient().birthDateDa());
            assertThat(terser.get("/.OBR-3")).isEqualTo(study.accessionNumber());
            assertThat(terser.get("/.OBR-25")).isEqualTo("F");
            ORU_R01 oru = (ORU_R01) parsed;
            var order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
            assertThat(order.getOBSERVATIONReps()).isEqualTo(2);
            assertThat(order.getOBSERVATION(0)
                            .getOBX()
                            .getObservationValue(0)
                            .getData()
                            .encode())
                    .isEqualTo("Patient: " + study.patient().displayName() + ", MRN: "
                            + study.patient().mrn() + ", DOB: "
                            + study.patient().birthDateIso() + ", Phone: "
                            + study.patient().phone());
            assertThat(order.getOBSERVATION(1)
                            .getOBX()
                            .getObservationValue(0)
                            .getData()
                            .encode())
                    .isEqualTo("the image shows a seven . the color is red");

            Message correction =
                    context.getPipeParser().parse(factory.correctedReport(study).encode());
            Terser corrected = new Terser(correction);
            assertThat(corrected.get("/MSH-10"))
                    .isEqualTo(study.correctedControlId())
                    .isNotEqualTo(study.finalControlId());
            assertThat(corrected.get("/.OBR-3")).isEqualTo(study.accessionNumber());
            assertThat(corrected.get("/.OBR-25")).isEqualTo("C");
            assertThat(((ORU_R01) correction)
                            .getPATIENT_RESULT()
                            .getORDER_OBSERVATION()
                            .getOBSERVATION(1)
                            .getOBX()
                            .getObservationValue(0)
                            .getData()
                            .encode())
                    .isEqualTo(study.sample().report());
        }
        assertThat(new OruMessageFactory(false).lines(study, study.sample().report()))
                .containsExactly(study.sample().report());
    }

    @Test
    void plantedValuesListEveryIdentifierAndTheExpectedKeys() throws Exception {
        SimulatedStudy study = correctedStudy();
        PlantedValues planted = new PlantedValues(null, Pseudonyms.withKey(new byte[32]));
        planted.plant(study, new OruMessageFactory(true).headerLines(study));
        planted.outcome(study, true, List.of(study.finalControlId()));
        List<String> values = planted.phi().stream()
                .map(line -> line.substring(line.indexOf('\t') + 1))
                .toList();
        FakePatient p = study.patient();
        assertThat(values)
                .contains(
                        p.dicomName(),
                        p.displayName(),
                        p.mrn(),
                        p.birthDateDa(),
                        p.birthDateIso(),
                        p.address(),
                        p.phone(),
                        study.accessionNumber(),
                        study.studyInstanceUid(),
                        study.seriesInstanceUid(),
                        study.sopInstanceUid());
        Map<String, Object> row = planted.studies().get(0);
        assertThat(row)
                .containsEntry("pairId", study.pairId())
                .containsEntry("sopInstanceUid", study.sopInstanceUid())
                .containsEntry("studyKey", Pseudonyms.withKey(new byte[32]).of("accession", study.accessionNumber()));
        assertThat((List<?>) row.get("messageKeys")).hasSize(2);
    }

    private static SimulatedStudy correctedStudy() {
        StudyPlanner planner = new StudyPlanner(5, 1.0, 0);
        return planner.plan(sample(Split.TRAIN, 12));
    }
}
