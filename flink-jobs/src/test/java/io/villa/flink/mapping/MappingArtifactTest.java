package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published model versions: a round trip, the newest version, and what a reader refuses. */
class MappingArtifactTest {

    static final List<String> WORDS = List.of("red", "green", "blue", "yellow");

    @Test
    void aPublishedVersionReadsBackAndScoresExactlyAsTheOriginal(@TempDir Path root) throws Exception {
        MappingConfig config = MappingLearnerIT.config(MappingConfig.PIXELS);
        List<MappingExample> train = MappingLearnerIT.images(32, 31);
        List<MappingExample> val = MappingLearnerIT.images(8, 32);
        Instant created = Instant.parse("2025-01-02T03:04:05.123Z");
        try (MappingModel model = new MappingModel(config, WORDS.size())) {
            for (int i = 0; i < 5; i++) {
                model.trainStep(train.subList(0, 16));
                model.trainStep(train.subList(16, 32));
            }
            Path dir = MappingArtifact.builder()
                    .setConfig(config)
                    .setVocabulary(WORDS)
                    .setVersion(10)
                    .setParameters(model.parameters())
                    .optTrainSeen(32)
                    .optCreated(created)
                    .build()
                    .write(root);

            assertThat(dir).isEqualTo(root.resolve("v000000000010"));
            assertThat(dir.resolve(MappingArtifact.PARAMETERS_FILE)).hasBinaryContent(model.parameters());
            String json = Files.readString(dir.resolve(MappingArtifact.MANIFEST_FILE), StandardCharsets.UTF_8);
            assertThat(json)
                    .contains(
                            "\"modelVersion\" : 10",
                            "\"trainPairsSeen\" : 32",
                            "\"learningRate\"",
                            "\"regionSize\" : 12",
                            "\"encoder\" : \"pixels\"",
                            "\"parameters\" : \"parameters.bin\"",
                            "2025-01-02T03:04:05.123Z")
                    .doesNotContain("builtInEncoder");

            MappingArtifact read = MappingArtifact.read(dir);
            assertThat(read.config()).isEqualTo(config);
            assertThat(read.vocabulary()).isEqualTo(WORDS);
            assertThat(read.version()).isEqualTo(10);
            assertThat(read.trainSeen()).isEqualTo(32);
            assertThat(read.created()).isEqualTo(created);
            assertThat(read.parameters()).isEqualTo(model.parameters());
            try (MappingModel loaded = read.newModel()) {
                assertThat(loaded.scores(val)).isDeepEqualTo(model.scores(val));
            }
        }
    }

    @Test
    void latestIsTheHighestVersionAndHalfWrittenDirectoriesAreNotVersions(@TempDir Path root) throws Exception {
        assertThat(MappingArtifact.latest(root.resolve("absent"))).isEmpty();
        MappingConfig config = MappingLearnerIT.config(MappingConfig.PIXELS);
        byte[] parameters = {1, 2, 3};
        for (long v : new long[] {9, 120, 11}) {
            MappingArtifact.builder()
                    .setConfig(config)
                    .setVocabulary(WORDS)
                    .setVersion(v)
                    .setParameters(parameters)
                    .build()
                    .write(root);
        }
        Files.createDirectories(root.resolve(".v000000000999-123"));
        Files.createDirectories(root.resolve("notes"));
        assertThat(MappingArtifact.list(root))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("v000000000009", "v000000000011", "v000000000120");
        assertThat(MappingArtifact.latest(root)).contains(root.resolve("v000000000120"));
        assertThatThrownBy(() -> MappingArtifact.builder()
                        .setConfig(config)
                        .setVocabulary(WORDS)
                        .setVersion(11)
                        .setParameters(parameters)
                        .build()
                        .write(root))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already published");
        try (var leftovers = Files.list(root)) {
            assertThat(leftovers.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".v000000000011")))
                    .isEmpty();
        }
    }

    @Test
    void aReaderRefusesWhatIsNotAnArtifactWithItsReason(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> MappingArtifact.read(root)).hasMessageContaining("no mapping.json");
        MappingConfig config = MappingLearnerIT.config(MappingConfig.PIXELS);
        Path dir = MappingArtifact.builder()
                .setConfig(config)
                .setVocabulary(WORDS)
                .setVersion(1)
                .setParameters(new byte[] {1})
                .build()
                .write(root);
        Path manifest = dir.resolve(MappingArtifact.MANIFEST_FILE);
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"parameters.bin\"", "\"../elsewhere.bin\""));
        assertThatThrownBy(() -> MappingArtifact.read(dir)).hasMessageContaining("parameters must be a file name");
        Files.writeString(manifest, json.replace("\"regionSize\" : 12", "\"regionSize\" : 13"));
        assertThatThrownBy(() -> MappingArtifact.read(dir)).hasMessageContaining("not a valid mapping configuration");
        assertThatThrownBy(() -> MappingArtifact.builder()
                        .setConfig(config)
                        .setVocabulary(WORDS)
                        .setVersion(-2)
                        .setParameters(new byte[] {1})
                        .build())
                .hasMessageContaining("version")
                .hasMessageContaining("-2");
    }
}
