package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** docker-compose.yml is valid, checked by docker-compose itself where it is installed. */
class DockerComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void composeFileIsValid() throws Exception {
        assertThat(COMPOSE).exists();
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed");

        Process check = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as("docker-compose config -q says: %s", output).isZero();
    }

    @Test
    void composeFileDefinesKafkaAndFlink() throws Exception {
        String compose = Files.readString(COMPOSE);

        assertThat(compose).contains("kafka:", "jobmanager:", "taskmanager:", "KAFKA_PROCESS_ROLES: broker,controller");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
