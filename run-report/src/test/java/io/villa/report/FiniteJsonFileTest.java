package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FiniteJsonFileTest {

    /** A summary with one scalar and one figure map, as the two real ones have. */
    record Tally(double seconds, Map<String, Double> figures) {}

    private final AtomicInteger rulesApplied = new AtomicInteger();
    private final FiniteJsonFile<Tally> file = new FiniteJsonFile<>(Tally.class, t -> {
        rulesApplied.incrementAndGet();
        return new Tally(t.seconds(), FiniteJson.figures(t.figures()));
    });

    @Test
    void theRuleIsAppliedOnWritingAndOnReadingAndTheFileIsStandardJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tally.json");

        file.write(json, new Tally(Double.NaN, Map.of("f1", 0.5, "broken", Double.POSITIVE_INFINITY)));

        JsonNode strict = new ObjectMapper().readTree(Files.readString(json));
        assertThat(strict.get("seconds").isNull()).isTrue();
        assertThat(strict.get("figures").has("broken")).isFalse();
        assertThat(dir.toFile().list()).containsExactly("tally.json");
        assertThat(rulesApplied).hasValue(1);

        Tally read = file.read(json);

        assertThat(read.seconds()).isNaN();
        assertThat(read.figures()).containsExactly(Map.entry("f1", 0.5));
        assertThat(rulesApplied).hasValue(2);
    }

    @Test
    void aTextReadBackIsTheSummaryWrittenAndEndsWithANewLine() throws Exception {
        Tally tally = new Tally(12.5, Map.of("recall", 0.25));

        String text = file.toJson(tally);

        assertThat(text).endsWith(System.lineSeparator()).contains("\n  \"seconds\" : 12.5");
        assertThat(file.fromJson(text)).isEqualTo(tally);
    }
}
