package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.demo.HospitalFeedStage;

/** villa demo --feed: direct stays the default; a bad value and a missing PACS are refused before anything starts. */
class DemoFeedOptionTest extends VillaConsoleFixture {

    @Test
    void helpNamesBothFeedsAndDirectIsTheDefault() {
        assertThat(villa("demo", "--help")).isZero();
        assertThat(out.toString())
                .contains("--feed=direct|hospital", "Where the image-report pairs come from", "Orthanc");
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
