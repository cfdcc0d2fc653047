package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** A command that cannot do its job says why in one line and exits non-zero. */
class CommandFailureTest {

    @Test
    void aFailingCommandPrintsOneClearLineAndExitsWithOne(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err));

        int exit = villa.execute("topics", "list", "--kafka-config", dir.resolve("absent.properties").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("villa list: cannot read Kafka settings from").contains("absent.properties")
                .doesNotContain("\tat ");
    }

    @Test
    void tailRefusesATopicItCannotTypeAndNamesTheChoices() {
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err));

        int exit = villa.execute("tail", "some.other.topic", "--bootstrap", "localhost:1");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cannot tell which record some.other.topic holds; give --type",
                "pairs", "regions", "dead_letters", "trainer_events");
    }
}
