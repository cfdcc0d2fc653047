package io.villa.producers.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.villa.deid.Pseudonyms;
import io.villa.producers.docmnist.PngEncoder;
import io.villa.records.Split;
import io.villa.records.StudyImage;

class StudyImageMapperTest {

    private static final Pseudonyms KEYS = Pseudonyms.withKey("m".repeat(40).getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode instance(String... tagValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < tagValues.length; i += 2) {
            ObjectNode attribute = node.putObject(tagValues[i]);
            attribute.put("vr", "CS");
            attribute.putArray("Value").add(tagValues[i + 1]);
        }
        return node;
    }

    private static ObjectNode xray() {
        return instance(
                DicomJson.SOP_INSTANCE_UID,
                "1.2.3",
                DicomJson.ACCESSION_NUMBER,
                "ACC9",
                DicomJson.MODALITY,
                "DX",
                DicomJson.VIEW_POSITION,
                "PA",
                DicomJson.ROWS,
                "20",
                DicomJson.COLUMNS,
                "40",
                DicomJson.SERIES_DESCRIPTION,
                "CHEST PA",
                DicomJson.PHOTOMETRIC_INTERPRETATION,
                "MONOCHROME1",
                DicomJson.IMAGE_COMMENTS,
                "villa-simulator-truth:{\"split\":\"VAL\",\"regions\":[{\"x\":0,\"y\":0,\"width\":20,\"height\":10}],"
                        + "\"groundTruth\":[{\"regionIndex\":0,\"attributes\":[\"red\"]}]}");
    }

    @Test
    void keysArePseudonymsAndOnlyModalityAndViewAreCopied() throws Exception {
        StudyImageMapper mapper = StudyImageMapper.builder()
                .setPseudonyms(KEYS)
                .optSimulatorTruth(true)
                .optMaxSide(20)
                .build();
        String[] studyKey = new String[1];
        StudyImageMapper.Render plan = (StudyImageMapper.Render) mapper.plan(DicomJson.of(xray()), studyKey);
        assertThat(plan.studyKey()).isEqualTo(KEYS.of("accession", "ACC9")).isEqualTo(studyKey[0]);
        assertThat(plan.instanceKey()).isEqualTo(KEYS.of("instance", "1.2.3"));
        assertThat(plan.monochrome1()).isTrue();
        StudyImage record =
                mapper.toRecord(plan, PngEncoder.encode(new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_GRAY)));
        assertThat(record.getModality()).isEqualTo("DX");
        assertThat(record.getViewPosition()).isEqualTo("PA");
        assertThat(record.getImage().getWidth()).isEqualTo(20);
        assertThat(record.getSplit()).isEqualTo(Split.VAL);
        assertThat(record.getRegions()).hasSize(1);
        assertThat(record.getRegions().get(0).getWidth()).isEqualTo(10); // scaled with the image
        assertThat(record.getGroundTruth().get(0).getAttributes()).containsExactly("red");
        assertThat(record.toString()).doesNotContain("ACC9", "1.2.3", "CHEST");
    }

    @Test
    void withoutSimulatorTruthImageCommentsAreIgnored() throws Exception {
        StudyImageMapper mapper = StudyImageMapper.builder().setPseudonyms(KEYS).build();
        StudyImageMapper.Render plan = (StudyImageMapper.Render) mapper.plan(DicomJson.of(xray()), new String[1]);
        assertThat(plan.truth()).isNull();
    }

    @Test
    void filtersSkipAndBadInstancesAreRefusedWithoutQuotingValues() throws Exception {
        StudyImageMapper crOnly = StudyImageMapper.builder()
                .setPseudonyms(KEYS)
                .optModalities(Set.of("cr"))
                .build();
        assertThat(crOnly.plan(DicomJson.of(xray()), new String[1])).isInstanceOf(StudyImageMapper.Skip.class);
        StudyImageMapper lateral = StudyImageMapper.builder()
                .setPseudonyms(KEYS)
                .optSeriesDescription(Pattern.compile("LAT"))
                .build();
        assertThat(lateral.plan(DicomJson.of(xray()), new String[1])).isInstanceOf(StudyImageMapper.Skip.class);

        StudyImageMapper mapper = StudyImageMapper.builder().setPseudonyms(KEYS).build();
        ObjectNode burned = xray();
        burned.setAll(instance(DicomJson.BURNED_IN_ANNOTATION, "YES"));
        assertThatThrownBy(() -> mapper.plan(DicomJson.of(burned), new String[1]))
                .isInstanceOf(InstanceRejected.class)
                .hasMessageStartingWith("BURNED_IN_ANNOTATION")
                .hasMessageNotContaining("ACC9");
        ObjectNode huge = xray();
        huge.setAll(instance(DicomJson.ROWS, "99999"));
        assertThatThrownBy(() -> mapper.plan(DicomJson.of(huge), new String[1]))
                .hasMessageStartingWith("IMAGE_TOO_LARGE");
        ObjectNode noAccession = xray();
        noAccession.remove(DicomJson.ACCESSION_NUMBER);
        assertThatThrownBy(() -> mapper.plan(DicomJson.of(noAccession), new String[1]))
                .hasMessageStartingWith("NO_ACCESSION_NUMBER");
        ObjectNode badTruth = xray();
        badTruth.setAll(instance(
                DicomJson.IMAGE_COMMENTS,
                "villa-simulator-truth:{\"regions\":[{\"x\":30,\"y\":0,\"width\":20,\"height\":5}]}"));
        StudyImageMapper truthful = StudyImageMapper.builder()
                .setPseudonyms(KEYS)
                .optSimulatorTruth(true)
                .build();
        assertThatThrownBy(() -> truthful.plan(DicomJson.of(badTruth), new String[1]))
                .hasMessageStartingWith("BAD_SIMULATOR_TRUTH");
        // a rendering that does not match the DICOM's size
        StudyImageMapper.Render plan = (StudyImageMapper.Render) mapper.plan(DicomJson.of(xray()), new String[1]);
        assertThatThrownBy(() ->
                        mapper.toRecord(plan, PngEncoder.encode(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY))))
                .hasMessageStartingWith("UNRENDERABLE_IMAGE");
        assertThatThrownBy(() -> mapper.toRecord(plan, new byte[] {1, 2, 3}))
                .hasMessageStartingWith("UNRENDERABLE_IMAGE");
    }

    @Test
    void invertsMonochrome1WhenTheServerDoesNot() throws Exception {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        BufferedImage inverted =
                ImageIO.read(new ByteArrayInputStream(StudyImageMapper.invert(PngEncoder.encode(image))));
        assertThat(inverted.getRaster().getSamples(0, 0, 3, 1, 0, new int[3])).containsExactly(255, 155, 0);
    }
}
