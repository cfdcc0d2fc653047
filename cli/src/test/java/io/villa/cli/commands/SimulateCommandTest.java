package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.producers.simulator.PlantedValues;
import picocli.CommandLine;

/** villa simulate hospital: options and the planted-values files (the run against real servers is in producers). */
class SimulateCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesThePlantedValuesAndTheExpectedStudies() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(out));
        int exit = villa.execute("simulate", "hospital", "--out", dir.toString(), "--train-budget", "40",
                "--val-budget", "16", "--test-budget", "0", "--orphan-fraction", "0.5", "--no-progress");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("studies:").contains("planted values and expected studies");
        List<String> studies = Files.readAllLines(dir.resolve(PlantedValues.STUDIES_FILE));
        assertThat(studies).isNotEmpty().allSatisfy(row -> assertThat(row).contains("\"pairId\":\"docmnist-s42-c8-"));
        assertThat(Files.readAllLines(dir.resolve(PlantedValues.PHI_FILE)))
                .anyMatch(line -> line.startsWith("mrn\tH"))
                .anyMatch(line -> line.startsWith("accession\tA"))
                .anyMatch(line -> line.startsWith("phone\t555-"));
    }

    @Test
    void badOptionsAreNamed() {
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err));
        assertThat(villa.execute("simulate", "hospital")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to do");
        err.getBuffer().setLength(0);
        assertThat(villa.execute("simulate", "hospital", "--hl7", "localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("--hl7 must be HOST:PORT");
        err.getBuffer().setLength(0);
        assertThat(villa.execute("simulate", "hospital", "--out", dir.toString(), "--report-delay", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--report-delay");
    }
}
