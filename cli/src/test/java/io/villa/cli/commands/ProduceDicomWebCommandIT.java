package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.dicomweb.Dcmtk;
import io.villa.producers.dicomweb.OrthancProcess;

/** villa produce dicomweb, run as a user would, against a real Orthanc and an embedded broker. */
class ProduceDicomWebCommandIT extends VillaConsoleFixture {

    @TempDir
    Path dir;

    @Test
    void withoutAPseudonymKeyItSaysHowToGiveOne() {
        int exit = villa("produce", "dicomweb", "--url", "http://127.0.0.1:9/dicom-web", "--bounded");
        // unless the environment of this run sets one
        if (System.getenv("VILLA_PSEUDONYM_KEY") == null) {
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("--pseudonym-key-file", "VILLA_PSEUDONYM_KEY");
        }
    }

    @Test
    void followsOrthancUntilCaughtUpAndAgainSendsNothing() throws Exception {
        assumeTrue(OrthancProcess.available(), "Orthanc with its DICOMweb plugin is not installed");
        assumeTrue(Dcmtk.available(), "DCMTK is not installed");
        Path key = Files.writeString(
                dir.resolve("key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        try (OrthancProcess orthanc = OrthancProcess.start(dir.resolve("pacs"), false);
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            orthanc.upload(Dcmtk.grey8(
                    dir, "a", image, Map.of("AccessionNumber", "A1", "Modality", "DX", "PatientName", "Doe^Jane")));
            orthanc.upload(Dcmtk.grey8(
                    dir, "b", image, Map.of("AccessionNumber", "A2", "Modality", "CR", "BurnedInAnnotation", "YES")));
            String[] command = {
                "produce",
                "dicomweb",
                "--url",
                orthanc.dicomWebUrl(),
                "--bootstrap",
                broker.bootstrapServers(),
                "--pseudonym-key-file",
                key.toString(),
                "--bounded",
                "--poll-interval",
                "0.1"
            };

            int exit = villa(command);
            assertThat(exit).as(err.toString()).isEqualTo(3);
            assertThat(out.toString()).contains("sent 1, dead-lettered 1", "2 instances handled in all");

            int again = villa(command);
            assertThat(again).as(err.toString()).isZero();
            assertThat(out.toString()).contains("sent 0, dead-lettered 0");
            assertThat(out.toString() + err).doesNotContain("Doe^Jane", "A1");
        }
    }
}
