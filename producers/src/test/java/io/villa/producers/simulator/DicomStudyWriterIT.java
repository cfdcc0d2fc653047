package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.records.Split;

/** The DICOM file img2dcm makes of a study, read back with DCMTK's dcmdump (an independent reader). */
class DicomStudyWriterIT {

    @TempDir
    Path dir;

    @Test
    void dicomCarriesThePatientTheIdentifiersTheTruthAndTheRgbPixels() throws Exception {
        assumeTrue(
                Dcmtk.available("img2dcm") && Dcmtk.available("dcmdump"),
                "DCMTK (img2dcm, dcmdump) not installed: apt-get install dcmtk");
        SimulatedStudy study = new StudyPlanner(3, 0, 0).plan(SimulatedStudyTest.sample(Split.TEST, 4));
        BufferedImage pixels = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                pixels.setRGB(x, y, (x * 3) << 16 | (y * 3) << 8 | ((x + y) & 0xff));
            }
        }
        Path file = dir.resolve("study.dcm");
        new DicomStudyWriter("img2dcm").write(study, pixels, file);
        assertThat(dir.resolve("study.dcm.bmp")).doesNotExist();

        String dump = Dcmtk.run(List.of("dcmdump", "-q", "+L", file.toString()));
        FakePatient patient = study.patient();
        assertThat(dump)
                .contains("(0008,0060) CS [CR]")
                .contains("(0010,0010) PN [" + patient.dicomName() + "]")
                .contains("(0010,0020) LO [" + patient.mrn() + "]")
                .contains("(0010,0030) DA [" + patient.birthDateDa() + "]")
                .contains("(0010,1040) LO [" + patient.address() + "]")
                .contains("(0010,2154) SH [" + patient.phone() + "]")
                .contains("(0008,0050) SH [" + study.accessionNumber() + "]")
                .contains("(0020,000d) UI [" + study.studyInstanceUid() + "]")
                .contains("(0020,000e) UI [" + study.seriesInstanceUid() + "]")
                .contains("(0008,0018) UI [" + study.sopInstanceUid() + "]")
                .contains("(0018,5101) CS [" + study.viewPosition() + "]")
                .contains("(0028,0301) CS [NO]")
                .contains("(0028,0004) CS [RGB]")
                .contains("(0028,0002) US 3")
                .contains("(0020,4000) LT [" + SimulatorTruth.comment(study.sample()) + "]");

        // the pixel data, written out raw by dcmdump, are the image's RGB bytes, unchanged
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Dcmtk.run(List.of("dcmdump", "-q", "+W", raw.toString(), file.toString()));
        try (var files = Files.list(raw)) {
            Path pixelFile = files.filter(p -> p.getFileName().toString().endsWith(".raw"))
                    .findFirst()
                    .orElseThrow();
            byte[] bytes = Files.readAllBytes(pixelFile);
            assertThat(bytes.length).isGreaterThanOrEqualTo(84 * 84 * 3);
            for (int y = 0; y < 84; y += 7) {
                for (int x = 0; x < 84; x += 5) {
                    int at = (y * 84 + x) * 3;
                    int rgb = (bytes[at] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff);
                    assertThat(rgb).as("pixel (%d,%d)", x, y).isEqualTo(pixels.getRGB(x, y) & 0xffffff);
                }
            }
        }
    }
}
