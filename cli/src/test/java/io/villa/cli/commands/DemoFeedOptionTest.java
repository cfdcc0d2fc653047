package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.cli.demo.HospitalFeedStage;
import picocli.CommandLine;

/** villa demo --feed: direct stays the default; a bad value and a missing PACS are refused before anything starts. */
class DemoFeedOptionTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int villa(String... args) {
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(out, true));
        villa.setErr(new PrintWriter(err, true));
        return villa.execute(args);
    }

    @Test
    void helpNamesBothFeedsAndDirectIsTheDefault() {
        assertThat(villa("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--feed=direct|hospital", "Where the image-report pairs come from", "Orthanc");
    }

    @Test
    void anUnknownFeedIsRefusedWithTheChoices(@TempDir Path dir) {
        assertThat(villa("demo", "--feed", "pacs", "--out", dir.toString())).isNotZero();
        assertThat(err.toString()).contains("--feed must be direct or hospital, not pacs");
    }

    @Test
    void withoutOrthancTheHospitalFeedSaysWhatToInstall(@TempDir Path dir) {
        String missing = HospitalFeedStage.missingParts();
        if (missing == null) {
            return; // installed here: the hospital path's own tests run it
        }
        assertThat(villa("demo", "--feed", "hospital", "--out", dir.toString())).isNotZero();
        assertThat(err.toString()).contains("--feed hospital needs", "apt-get install");
    }
}
