package io.villa.flink.mapping;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where published mapping model versions are written as loadable models ({@link MappingArtifact}), so the version
 * named by any output record can be loaded again (a second job, {@code villa query}, an audit). The root must be a
 * directory every machine running the learner sees (a local path in a local run). {@link #none()} writes nothing.
 */
public final class ModelStore implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String root;
    private final MappingConfig config;
    private final List<String> vocabulary;

    private ModelStore(String root, MappingConfig config, List<String> vocabulary) {
        this.root = root;
        this.config = config;
        this.vocabulary = vocabulary;
    }

    public static ModelStore none() {
        return new ModelStore(null, null, List.of());
    }

    public static ModelStore at(Path root, MappingConfig config, List<String> vocabulary) {
        return new ModelStore(root.toAbsolutePath().toString(), config, List.copyOf(vocabulary));
    }

    /**
     * Writes the version (unless it is there already: a restored job publishes the same version again) and returns it
     * with its location.
     */
    public ModelVersion publish(ModelVersion v) {
        if (root == null) {
            return v;
        }
        Path dir = MappingArtifact.versionDir(Path.of(root), v.version);
        if (!Files.isDirectory(dir)) {
            try {
                dir = MappingArtifact.builder()
                        .setConfig(config)
                        .setVocabulary(vocabulary)
                        .setVersion(v.version)
                        .setParameters(v.parameters)
                        .optTrainSeen(v.trainSeen)
                        .build()
                        .write(Path.of(root));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(
                        "mapping model version " + v.version + " not written under " + root, e);
            }
        }
        v.location = dir.toString();
        return v;
    }
}
