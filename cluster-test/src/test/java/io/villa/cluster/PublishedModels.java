package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.villa.flink.mapping.MappingArtifact;
import io.villa.flink.mapping.ModelVersion;
import io.villa.kafka.KafkaSettings;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;

/**
 * What one run of the decomposition job published of its mapping model: the versions the learner announced
 * (TrainerEvent CHECKPOINT of model {@value ModelVersion#MODEL_ID} on the trainer-events topic, read_committed, in
 * order) and the versions written under its --model-dir.
 *
 * @param announced the announced versions, in order
 * @param locations the artifact directory each announcement named (same order)
 * @param artifacts every version under the model directory, by version (oldest first)
 */
record PublishedModels(List<Long> announced, List<String> locations, Map<Long, MappingArtifact> artifacts) {

    static PublishedModels read(KafkaSettings kafka, String trainerEventsTopic, Path modelDir) throws IOException {
        List<Long> announced = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : RegionOutputs.readCommitted(kafka, trainerEventsTopic)) {
            TrainerEvent e = Codecs.TRAINER_EVENT.decode(r.value());
            if (ModelVersion.MODEL_ID.equals(e.getModelId().toString()) && e.getKind() == TrainerEventKind.CHECKPOINT) {
                announced.add(e.getModelVersion());
                locations.add(e.getCheckpointLocation() == null ? null : e.getCheckpointLocation().toString());
            }
        }
        Map<Long, MappingArtifact> artifacts = new LinkedHashMap<>();
        for (Path dir : MappingArtifact.list(modelDir)) {
            MappingArtifact a = MappingArtifact.read(dir);
            artifacts.put(a.version(), a);
        }
        return new PublishedModels(announced, locations, artifacts);
    }

    /** The newest version under the model directory (the run's final model once a bounded run has finished). */
    MappingArtifact last() {
        assertThat(artifacts).as("versions written under --model-dir").isNotEmpty();
        return artifacts.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    /** The highest announced version (-1: none). */
    long lastAnnounced() {
        return announced.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /**
     * Asserts that {@code other} published exactly what this run published: the same announced versions in the same
     * order, the same versions written, each with bit-identical parameters.
     */
    void assertSameAs(PublishedModels other, String what) {
        assertThat(other.announced).as("%s: versions announced (TrainerEvent CHECKPOINT), in order", what).isEqualTo(announced);
        assertThat(other.artifacts.keySet()).as("%s: versions written under --model-dir", what)
                .containsExactlyElementsOf(artifacts.keySet());
        List<Long> differ = artifacts.keySet().stream()
                .filter(v -> !java.util.Arrays.equals(artifacts.get(v).parameters(), other.artifacts.get(v).parameters())).toList();
        assertThat(differ).as("%s: versions whose parameters are not bit-identical", what).isEmpty();
        assertThat(other.last().version()).as("%s: final version", what).isEqualTo(last().version());
        assertThat(other.last().parameters()).as("%s: final model parameters, bit for bit", what).isEqualTo(last().parameters());
    }

    /** True (region, attribute) pairs of a split in the input: the denominator of recall. */
    static long truePairs(Collection<ImageReportPair> input, Split split) {
        return input.stream().filter(p -> p.getSplit() == split).flatMap(p -> p.getGroundTruth().stream())
                .mapToLong(t -> t.getAttributes().size()).sum();
    }
}
