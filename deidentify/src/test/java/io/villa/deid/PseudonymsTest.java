package io.villa.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymsTest {

    private static final String HEX_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void sameIdentifierSameKeyGivesSamePseudonymAndNothingOfTheIdentifier() {
        assertThat(PseudonymKeyOptions.parseKey(HEX_KEY)).hasSize(32);
        Pseudonyms a = Pseudonyms.withKey(PseudonymKeyOptions.parseKey(HEX_KEY));
        Pseudonyms b = Pseudonyms.withKey(PseudonymKeyOptions.parseKey(HEX_KEY));
        String p = a.of("accession", "ACC12345");
        assertThat(p).hasSize(64).matches("[0-9a-f]{64}").doesNotContain("12345");
        assertThat(b.of("accession", "ACC12345")).isEqualTo(p);
        assertThat(a.of("accession", "ACC12346")).isNotEqualTo(p);
        assertThat(a.of("instance", "ACC12345")).as("kinds are separate").isNotEqualTo(p);
        assertThat(a.of("ab", "c")).isNotEqualTo(a.of("a", "bc"));
    }

    @Test
    void anotherKeyGivesAnotherPseudonym() {
        Pseudonyms a = Pseudonyms.withKey(PseudonymKeyOptions.parseKey(HEX_KEY));
        Pseudonyms b = Pseudonyms.withKey(PseudonymKeyOptions.parseKey(HEX_KEY.replace('0', '1')));
        assertThat(a.of("accession", "ACC1")).isNotEqualTo(b.of("accession", "ACC1"));
        assertThat(a.toString()).doesNotContain(HEX_KEY).doesNotContain("0011");
    }

    @Test
    void shortOrMissingKeysAreRefusedNamingWhere(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Pseudonyms.withKey(new byte[16])).hasMessageContaining("16 bytes, at least 32");
        PseudonymKeyOptions options = new PseudonymKeyOptions();
        assertThatThrownBy(() -> options.pseudonyms(Map.of())).hasMessageContaining(PseudonymKeyOptions.ENVIRONMENT);
        assertThatThrownBy(() -> options.pseudonyms(Map.of(PseudonymKeyOptions.ENVIRONMENT, "abcd")))
                .hasMessageContaining("environment variable").hasMessageContaining("at least 32");
        Path file = dir.resolve("key");
        Files.writeString(file, HEX_KEY + "\n");
        options.keyFile = file;
        assertThat(options.pseudonyms(Map.of()).of("accession", "X"))
                .isEqualTo(Pseudonyms.withKey(PseudonymKeyOptions.parseKey(HEX_KEY)).of("accession", "X"));
        options.keyFile = dir.resolve("missing");
        assertThatThrownBy(() -> options.pseudonyms(Map.of())).hasMessageContaining("--pseudonym-key-file");
    }
}
