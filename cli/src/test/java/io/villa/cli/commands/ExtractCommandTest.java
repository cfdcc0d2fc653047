package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class ExtractCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String input, String... args) {
        CommandLine command = new CommandLine(
                        new ExtractCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))))
                .setCaseInsensitiveEnumValuesAllowed(true);
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    private List<JsonNode> lines() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : out.toString().split("\\R")) {
            if (!line.isBlank()) {
                nodes.add(json.readTree(line));
            }
        }
        return nodes;
    }

    @Test
    void oneJsonObjectPerReportLine() throws IOException {
        int exit = run(
                "No pneumothorax or pleural effusion.\r\nINDICATION: pneumonia. FINDINGS: Possible pneumonia. Mild cardiomegaly.\n\n",
                "--vocabulary",
                "chest-xray");
        assertThat(exit).isZero();
        List<JsonNode> reports = lines();
        assertThat(reports).hasSize(3);
        assertThat(reports.get(0).toString())
                .isEqualTo(
                        "{\"findings\":[{\"attribute\":\"pneumothorax\",\"polarity\":\"negated\",\"sentence\":0},"
                                + "{\"attribute\":\"pleural effusion\",\"polarity\":\"negated\",\"sentence\":0}],\"attributes\":[]}");
        assertThat(reports.get(1).toString())
                .isEqualTo("{\"findings\":[{\"attribute\":\"pneumonia\",\"polarity\":\"uncertain\",\"sentence\":1},"
                        + "{\"attribute\":\"cardiomegaly\",\"polarity\":\"positive\",\"sentence\":2}],"
                        + "\"attributes\":[\"cardiomegaly\"]}");
        assertThat(reports.get(2).toString()).isEqualTo("{\"findings\":[],\"attributes\":[]}");
    }

    @Test
    void wholeInputAsOneReportWithSentencesAndTheUncertainPolicy() throws IOException {
        int exit = run(
                "FINDINGS:\nThere is a small left\npleural effusion.\n\nIMPRESSION:\nPossible pneumonia.\n",
                "--vocabulary",
                "CHEST-XRAY",
                "--whole",
                "--sentences",
                "--uncertain",
                "positive");
        assertThat(exit).isZero();
        JsonNode report = lines().get(0);
        assertThat(report.get("attributes").toString()).isEqualTo("[\"pleural effusion\",\"pneumonia\"]");
        assertThat(report.get("sentences").toString())
                .isEqualTo(
                        "[{\"text\":\"There is a small left pleural effusion\",\"section\":\"finding\","
                                + "\"counted\":true},{\"text\":\"Possible pneumonia\",\"section\":\"impression\",\"counted\":true}]");
    }

    @Test
    void docMnistIsTheDefault() throws IOException {
        assertThat(run("the color is red . the number is a seven")).isZero();
        assertThat(lines().get(0).get("attributes").toString()).isEqualTo("[\"seven\",\"red\"]");
    }

    @Test
    void aReportOverTheLimitIsAnErrorForThatReportOnly() throws IOException {
        String secret = "x".repeat(200) + " pneumothorax";
        int exit =
                run("Small effusion\n" + secret + "\nNo edema\n", "--vocabulary", "chest-xray", "--max-chars", "100");
        assertThat(exit).isEqualTo(ExtractCommand.SOME_FAILED);
        List<JsonNode> reports = lines();
        assertThat(reports).hasSize(3);
        assertThat(reports.get(0).get("attributes").toString()).isEqualTo("[\"pleural effusion\"]");
        assertThat(reports.get(1).get("error").asText()).isEqualTo("report 2 is 213 characters, over --max-chars 100");
        assertThat(reports.get(2).get("findings").get(0).get("polarity").asText())
                .isEqualTo("negated");
        assertThat(err.toString())
                .contains("report 2 is 213 characters")
                .doesNotContain("xxxx")
                .doesNotContain("pneumothorax");
    }

    @Test
    void aBadVocabularyFileNamesTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("site.txt");
        Files.write(file, List.of("[finding]", "effusion: effusion", "fluid: pleural fluid | effusion"));
        CommandLine command = io.villa.cli.VillaCommand.commandLine();
        StringWriter failure = new StringWriter();
        command.setErr(new PrintWriter(failure));
        assertThat(command.execute("extract", "--vocabulary", file.toString())).isEqualTo(1);
        assertThat(failure.toString())
                .contains(file + " line 3: 'effusion' (from 'effusion') is already a form of 'effusion' (line 2)");
        assertThat(run("x", "--vocabulary", "no-such-vocabulary")).isEqualTo(1);
    }
}
