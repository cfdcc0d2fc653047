package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile it builds: valid (checked by docker-compose itself where it is installed),
 * the whole system in it, a GPU for the trainer, and every villa command line in it accepted by the villa commands.
 * Docker itself is not needed: nothing is built or started.
 */
class DockerComposeFileIT {

    private static final Path ROOT = Path.of("..");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
    private static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");

    private static final Pattern SERVICE = Pattern.compile("^  ([A-Za-z0-9_.-]+):\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern ANCHOR = Pattern.compile("^(x-[A-Za-z0-9_.-]+): &([A-Za-z0-9_.-]+)\\s*$");
    private static final Pattern MERGE = Pattern.compile("^\\s*<<: \\*([A-Za-z0-9_.-]+)\\s*$");

    @Test
    void composeFileIsValid() throws Exception {
        assertThat(COMPOSE).exists();
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed");

        Process check = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue())
                .as("docker-compose config -q says: %s", output)
                .isZero();
    }

    @Test
    void composeFileDefinesTheWholeSystem() throws Exception {
        Map<String, List<String>> services = services();

        assertThat(services)
                .containsKeys(
                        "kafka", "jobmanager", "taskmanager", "topics", "decompose-submit", "producer", "trainer");
        assertThat(text(services, "kafka")).contains("KAFKA_PROCESS_ROLES: broker,controller");
        assertThat(text(services, "topics")).contains("\"topics\", \"create\"", "condition: service_healthy");
        for (String afterTopics : List.of("decompose-submit", "producer", "trainer")) {
            assertThat(text(services, afterTopics))
                    .as(afterTopics)
                    .contains("topics:", "condition: service_completed_successfully");
        }
        assertThat(text(services, "decompose-submit"))
                .contains(
                        "decompose",
                        "--flink-rest jobmanager:8081",
                        "--job-jar /opt/villa/villa-flink-job.jar",
                        "--detached",
                        "--bootstrap kafka:19092");
        assertThat(text(services, "producer"))
                .contains("\"produce\", \"docmnist\"", "\"--bootstrap\", \"kafka:19092\"");
        assertThat(text(services, "trainer"))
                .contains("\"train\"", "\"--bootstrap\", \"kafka:19092\"", "\"--checkpoint-dir\", \"/runs/trainer\"");
        assertThat(text(services, "taskmanager"))
                .contains("env.java.opts.taskmanager: -Dai.djl.offline=true", "taskmanager.memory.process.size");
    }

    /** The hospital feed: PACS, HL7 listener, DICOMweb follower and join; the pseudonym key only as a secret file. */
    @Test
    void composeFileRunsTheHospitalFeed() throws Exception {
        Map<String, List<String>> services = services();
        assertThat(services).containsKeys("orthanc", "hl7-listener", "dicomweb-follower", "join-submit");
        assertThat(text(services, "orthanc"))
                .contains("image: orthancteam/orthanc", "DICOM_WEB_PLUGIN_ENABLED: \"true\"");
        assertThat(text(services, "hl7-listener"))
                .contains("\"produce\", \"hl7\", \"--listen\", \"2575\"", "\"kafka:19092\"");
        assertThat(text(services, "dicomweb-follower"))
                .contains("\"produce\", \"dicomweb\", \"--url\", \"http://orthanc:8042/dicom-web\"");
        for (String feed : List.of("hl7-listener", "dicomweb-follower")) {
            assertThat(text(services, feed))
                    .as(feed)
                    .contains(
                            "\"--pseudonym-key-file\", \"/run/secrets/villa-pseudonym-key\"",
                            "- villa-pseudonym-key",
                            "condition: service_completed_successfully");
        }
        assertThat(text(services, "join-submit"))
                .contains(
                        "/opt/villa/villa-cli.jar join",
                        "--flink-rest jobmanager:8081",
                        "--job-jar /opt/villa/villa-flink-job.jar",
                        "--detached",
                        "--bootstrap kafka:19092");
        String compose = Files.readString(COMPOSE);
        assertThat(compose)
                .as("the key is a secret file, never a value in the compose file")
                .contains("file: ${VILLA_PSEUDONYM_KEY_FILE:-./secrets/villa-pseudonym.key}")
                .doesNotContainPattern("VILLA_PSEUDONYM_KEY\\s*[:=]");
        assertThat(Files.readAllLines(DOCKERIGNORE))
                .as("the key never goes into the image")
                .contains("secrets");
    }

    @Test
    void trainerReservesOneNvidiaGpu() throws Exception {
        List<String> trainer = services().get("trainer");
        assertThat(trainer).as("trainer service").isNotNull();

        int at = nested(trainer, "deploy:", "resources:", "reservations:", "devices:");
        assertThat(at).as("trainer: deploy.resources.reservations.devices").isNotNegative();
        List<String> devices = new ArrayList<>();
        for (String line : childLines(trainer, at)) {
            devices.add(line.trim().replaceFirst("^- ", ""));
        }
        assertThat(devices).contains("driver: nvidia", "count: 1", "capabilities: [gpu]");
    }

    /**
     * Issue 16: the trainer, which reserves the GPU, runs our image built with the CUDA build of PyTorch (Dockerfile
     * PYTORCH_BUILD=cu124 -> Maven profile gpu -> pytorch-native-cu124) under a tag of its own, with --device gpu; every
     * other service of ours runs the default CPU build.
     */
    @Test
    void theGpuTrainerRunsTheCudaBuildAndTheOthersTheCpuBuild() throws Exception {
        Map<String, List<String>> resolved = resolvedServices();
        Map<String, List<String>> ours = new LinkedHashMap<>();
        resolved.forEach((name, block) -> {
            if (String.join("\n", block).contains("image: villa-stream:")) {
                ours.put(name, block);
            }
        });
        assertThat(ours).containsKeys("topics", "decompose-submit", "producer", "trainer", "trainer-clip", "villa");

        String trainer = String.join("\n", ours.get("trainer"));
        assertThat(trainer)
                .contains(
                        "image: villa-stream:cu124",
                        "PYTORCH_BUILD: cu124",
                        "RUNTIME_BASE: nvidia/cuda:12.4"); // DJL counts GPUs through the CUDA runtime library
        assertThat(villaInvocations(services().get("trainer")))
                .singleElement()
                .asString()
                .contains("--device, gpu");
        ours.forEach((name, block) -> {
            if (!name.equals("trainer")) {
                assertThat(String.join("\n", block))
                        .as(name)
                        .contains("image: villa-stream:latest")
                        .doesNotContain("PYTORCH_BUILD")
                        .doesNotContain("RUNTIME_BASE")
                        .doesNotContain("cu124");
            }
        });

        // what PYTORCH_BUILD=cu124 builds: the Dockerfile turns it into -Pgpu, whose profile gives the trainer CUDA
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile)
                .contains(
                        "ARG PYTORCH_BUILD=cpu",
                        "cpu) profile=\"\" ;;",
                        "cu124) profile=\"-Pgpu\" ;;",
                        "mvn -B -ntp $profile -DskipTests package",
                        "ARG RUNTIME_BASE=eclipse-temurin:17-jre",
                        "FROM ${RUNTIME_BASE}",
                        "COPY --from=jre /opt/java/openjdk /opt/java/openjdk");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(pom).contains("<trainer.pytorch.native>pytorch-native-cpu</trainer.pytorch.native>");
        String gpuProfile =
                pom.substring(pom.indexOf("<id>gpu</id>"), pom.indexOf("</profile>", pom.indexOf("<id>gpu</id>")));
        assertThat(gpuProfile)
                .contains(
                        "<trainer.pytorch.native>pytorch-native-cu124</trainer.pytorch.native>",
                        "<djl.version>${gpu.djl.version}</djl.version>");
        assertThat(Files.readString(ROOT.resolve("trainer/pom.xml")))
                .contains("<artifactId>${trainer.pytorch.native}</artifactId>");
    }

    /** Every command our image runs in the compose file parses with the real villa command tree (nothing runs). */
    @Test
    void villaCommandLinesAreAcceptedByVilla() throws Exception {
        Map<String, List<List<String>>> invocations = new LinkedHashMap<>();
        services().forEach((name, block) -> {
            List<List<String>> found = villaInvocations(block);
            if (!found.isEmpty()) {
                invocations.put(name, found);
            }
        });
        assertThat(invocations).containsKeys("topics", "decompose-submit", "producer", "trainer");

        invocations.forEach((service, lines) -> lines.forEach(args -> assertThatCode(
                        () -> VillaCommand.commandLine().parseArgs(args.toArray(String[]::new)))
                .as("service %s runs villa %s", service, args)
                .doesNotThrowAnyException()));
    }

    @Test
    void dockerfileBuildsTheImageTheComposeFileUses() throws Exception {
        assertThat(DOCKERFILE).exists();
        assertThat(DOCKERIGNORE).exists();
        List<String> lines = Files.readAllLines(DOCKERFILE);
        String dockerfile = String.join("\n", lines);

        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).count())
                .as("build and runtime stages")
                .isGreaterThanOrEqualTo(2);
        assertThat(dockerfile)
                .contains(
                        "mvn -B",
                        "-DskipTests package",
                        "cli/target/villa-cli.jar /opt/villa/villa-cli.jar",
                        "flink-jobs/target/villa-flink-job.jar /opt/villa/villa-flink-job.jar",
                        "VILLA_MNIST_DIR");
        assertThat(lines)
                .filteredOn(l -> l.startsWith("ENTRYPOINT"))
                .singleElement()
                .asString()
                .contains("-Dai.djl.offline=true", "/opt/villa/villa-cli.jar");
        assertThat(Files.readAllLines(DOCKERIGNORE)).anyMatch(l -> l.contains("target"));
        assertThat(Files.readString(COMPOSE)).contains("build: .");
    }

    // ---- a small reader for the parts of the compose file these tests look at ------------------------------------

    /** Each service under {@code services:} with its lines (comments left out), in file order. */
    private static Map<String, List<String>> services() throws Exception {
        return services(Files.readAllLines(COMPOSE));
    }

    /**
     * The services with the compose file's extension blocks ({@code <<: *name}) merged in: as {@code docker-compose
     * config} prints them where it is installed, else with the anchors' lines put in place of the merge line.
     */
    private static Map<String, List<String>> resolvedServices() throws Exception {
        if (onPath("docker-compose")) {
            Process config = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config").start();
            String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(config.exitValue()).as("docker-compose config").isZero();
            return services(output.lines().toList());
        }
        Map<String, List<String>> anchors = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(COMPOSE)) {
            Matcher anchor = ANCHOR.matcher(line);
            if (anchor.matches()) {
                current = new ArrayList<>();
                anchors.put(anchor.group(2), current);
            } else if (!line.startsWith(" ") && !line.isBlank()) {
                current = null;
            } else if (current != null && !line.trim().startsWith("#")) {
                current.add(line);
            }
        }
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        services().forEach((name, block) -> {
            List<String> lines = new ArrayList<>();
            for (String line : block) {
                Matcher merge = MERGE.matcher(line);
                lines.addAll(merge.matches() ? anchors.getOrDefault(merge.group(1), List.of()) : List.of(line));
            }
            resolved.put(name, lines);
        });
        return resolved;
    }

    private static Map<String, List<String>> services(List<String> composeLines) {
        Map<String, List<String>> services = new LinkedHashMap<>();
        List<String> current = null;
        boolean inServices = false;
        for (String line : composeLines) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            if (!line.startsWith(" ")) {
                inServices = line.startsWith("services:");
                current = null;
                continue;
            }
            Matcher service = SERVICE.matcher(line);
            if (inServices && service.matches()) {
                current = new ArrayList<>();
                services.put(service.group(1), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return services;
    }

    private static String text(Map<String, List<String>> services, String name) {
        assertThat(services).containsKey(name);
        return String.join("\n", services.get(name));
    }

    /** Index of the last of {@code keys}, each a child of the one before; -1 when the chain is not there. */
    private static int nested(List<String> block, String... keys) {
        int at = -1;
        for (String key : keys) {
            int parentIndent = at < 0 ? -1 : indentOf(block.get(at));
            int found = -1;
            for (int i = at + 1; i < block.size() && indentOf(block.get(i)) > parentIndent; i++) {
                if (block.get(i).trim().equals(key)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return -1;
            }
            at = found;
        }
        return at;
    }

    /** The lines below {@code parent} that are indented deeper than it. */
    private static List<String> childLines(List<String> block, int parent) {
        List<String> children = new ArrayList<>();
        int indent = indentOf(block.get(parent));
        for (int i = parent + 1; i < block.size() && indentOf(block.get(i)) > indent; i++) {
            children.add(block.get(i));
        }
        return children;
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /**
     * The villa argument lists a service runs: its {@code command: [...]} (our image's entrypoint is villa), and
     * every {@code java ... -jar /opt/villa/villa-cli.jar ARGS} in a shell command.
     */
    private static List<List<String>> villaInvocations(List<String> block) {
        String text = String.join("\n", block);
        if (!text.contains("<<: *villa")) {
            return List.of();
        }
        List<List<String>> invocations = new ArrayList<>();
        int command = text.indexOf("command: [");
        if (command >= 0) {
            String list = text.substring(command, text.indexOf(']', command));
            List<String> args = new ArrayList<>();
            Matcher quoted = QUOTED.matcher(list);
            while (quoted.find()) {
                args.add(quoted.group(1));
            }
            invocations.add(args);
        }
        String shell = text.replace("\\\n", " ");
        for (String line : shell.split("\n")) {
            int jar = line.indexOf("/opt/villa/villa-cli.jar ");
            if (jar >= 0 && line.contains("java ")) {
                String args = line.substring(jar + "/opt/villa/villa-cli.jar ".length())
                        .trim();
                invocations.add(Arrays.asList(args.split("\\s+")));
            }
        }
        return invocations;
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
