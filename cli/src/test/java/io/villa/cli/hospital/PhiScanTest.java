package io.villa.cli.hospital;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhiScanTest {

    @Test
    void findsEveryPlantedValueCaseInsensitivelyAndSkipsTooShortOnes() {
        List<String> planted = List.of("QUIXBORNE", "ACC5520001", "1.2.826.0.1.3680043.9.7714.40001", "Al");
        assertThat(PhiScan.find("patient quixborne, uid 1.2.826.0.1.3680043.9.7714.40001.1.2 al", planted))
                .containsExactlyInAnyOrder("quixborne", "1.2.826.0.1.3680043.9.7714.40001");
        assertThat(PhiScan.find("nothing here: ACC552000", planted)).isEmpty();
        assertThat(PhiScan.searchable(planted)).isEqualTo(3);
    }

    @Test
    void scansBinaryFiles(@TempDir Path dir) throws Exception {
        byte[] bytes = ("\u0000\u0001xxACC5520001\u00ff").getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a").resolve("segment.log"), bytes);
        assertThat(PhiScan.files(dir, List.of("acc5520001"))).containsExactly("a/segment.log: acc5520001");
    }
}
