package io.villa.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.language.UncertainPolicy;
import picocli.CommandLine;

/** --vocabulary NAME|FILE, --uncertain and --triggers of the decomposition job. */
class DecomposeOptionsVocabularyTest {

    private static DecomposeOptions parse(String... args) {
        DecomposeOptions o = new DecomposeOptions();
        new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return o;
    }

    @Test
    void docMnistAndIgnoreByDefault() throws IOException {
        AttributeExtractor x = parse().attributeExtractor();
        assertThat(x.vocabulary().size()).isEqualTo(20);
        assertThat(x.uncertainPolicy()).isEqualTo(UncertainPolicy.IGNORE);
    }

    @Test
    void shippedNamesFilesAndThePolicy(@TempDir Path dir) throws IOException {
        AttributeExtractor chest = parse("--vocabulary", "chest-xray", "--uncertain", "positive").attributeExtractor();
        assertThat(chest.vocabulary().words()).contains("pleural effusion", "no finding");
        assertThat(chest.extract("Possible pneumonia. No effusion.").present()).containsExactly(chest.vocabulary().indexOf("pneumonia"));

        Path file = dir.resolve("words.txt");
        Files.write(file, List.of("[finding]", "effusion", "nodule"));
        Path triggers = dir.resolve("triggers.txt");
        Files.write(triggers, List.of("[pre-negation]", "absent"));
        AttributeExtractor site = parse("--vocabulary", file.toString(), "--triggers", triggers.toString()).attributeExtractor();
        assertThat(site.vocabulary().words()).containsExactly("effusion", "nodule");
        assertThat(site.extract("absent effusion. no nodule").present()).containsExactly(1);

        Files.write(triggers, List.of("absent"));
        assertThatThrownBy(() -> parse("--triggers", triggers.toString()).attributeExtractor())
                .hasMessageContaining(triggers + " line 1: a phrase before any [list] line");
    }
}
