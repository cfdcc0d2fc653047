package io.villa.flink.mapping;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A published version of the mapping model, as files an applier (villa query, another job) can load without
 * Flink state: {@code <root>/v<version, 12 digits>/} holding {@value #PARAMETERS_FILE} (the bytes of
 * {@link MappingModel#parameters()}) and {@value #MANIFEST_FILE} (model version, TRAIN pairs seen, creation time,
 * every {@link MappingConfig} field by name, the attribute vocabulary in head order, the parameters' file name).
 *
 * <p>A version is written into a hidden temporary directory under the root and renamed into place in one atomic
 * move, so a reader never sees half an artifact. Only parameters are published, not the optimizer: an artifact
 * is for applying the model, not for training it on (that is {@link ModelState}).
 *
 * <p>A TorchScript region encoder ({@code config.encoder()} a file path) is referenced by that path in
 * {@value #MANIFEST_FILE}, not copied: the reader must find the same file there (a relative path resolves against
 * the reader's working directory).
 */
public final class MappingArtifact {

    public static final String PARAMETERS_FILE = "parameters.bin";
    public static final String MANIFEST_FILE = "mapping.json";
    /** Layout of {@value #MANIFEST_FILE}; a reader refuses another. */
    public static final int FORMAT = 1;

    private static final Pattern VERSION_DIR = Pattern.compile("v\\d{12}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MappingConfig config;
    private final List<String> vocabulary;
    private final long version;
    private final long trainSeen;
    private final Instant created;
    private final byte[] parameters;

    private MappingArtifact(Builder b) {
        this.config = b.config;
        this.vocabulary = List.copyOf(b.vocabulary);
        this.version = b.version;
        this.trainSeen = b.trainSeen;
        this.created = b.created == null ? Instant.now() : b.created;
        this.parameters = b.parameters;
    }

    public static Builder builder() {
        return new Builder();
    }

    public MappingConfig config() {
        return config;
    }

    /** The attribute words in head order (index a is head a). */
    public List<String> vocabulary() {
        return vocabulary;
    }

    public long version() {
        return version;
    }

    public long trainSeen() {
        return trainSeen;
    }

    public Instant created() {
        return created;
    }

    /** The bytes of {@link MappingModel#parameters()} (not a copy: do not change them). */
    public byte[] parameters() {
        return parameters;
    }

    /** A model that scores exactly as the one published (with a fresh optimizer); the caller closes it. */
    public MappingModel newModel() {
        return new MappingModel(config, vocabulary.size(), parameters);
    }

    /** {@code root/v<version, 12 digits>}. */
    public static Path versionDir(Path root, long version) {
        return root.resolve(String.format("v%012d", version));
    }

    /**
     * Publishes this version under {@code root} (created when missing) and returns its directory.
     *
     * @throws FileAlreadyExistsException when this version is already published there
     */
    public Path write(Path root) throws IOException {
        Files.createDirectories(root);
        Path target = versionDir(root, version);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "mapping model version " + version + " is already published");
        }
        // hidden (leading dot) so list() never takes it for a version; same file system as target, so the move is a rename
        Path tmp = Files.createTempDirectory(root, "." + target.getFileName() + "-");
        try {
            Files.write(tmp.resolve(PARAMETERS_FILE), parameters);
            Files.write(tmp.resolve(MANIFEST_FILE), JSON.writeValueAsBytes(manifest()));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(tmp);
            throw new IOException("cannot publish mapping model version " + version + " atomically under " + root
                    + ": the file system cannot rename a directory in one step", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            if (Files.exists(target)) {
                // another writer published the same version between our check and the move
                throw new FileAlreadyExistsException(target.toString(), null, "mapping model version " + version + " is already published");
            }
            throw e;
        }
        return target;
    }

    private ObjectNode manifest() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("modelVersion", version);
        root.put("trainPairsSeen", trainSeen);
        root.put("created", created.toString());
        root.set("config", JSON.valueToTree(config));
        ArrayNode words = root.putArray("vocabulary");
        vocabulary.forEach(words::add);
        root.put("parameters", PARAMETERS_FILE);
        return root;
    }

    /**
     * The artifact in {@code versionDir} (one of {@link #list}).
     *
     * @throws IOException when a file is missing or unreadable, or {@value #MANIFEST_FILE} is not a valid manifest
     */
    public static MappingArtifact read(Path versionDir) throws IOException {
        Path manifestFile = versionDir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("not a mapping model version directory (no " + MANIFEST_FILE + "): " + versionDir);
        }
        JsonNode root;
        try {
            root = JSON.readTree(manifestFile.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(manifestFile + " is not JSON: " + e.getOriginalMessage(), e);
        }
        int format = required(root, "format", manifestFile).asInt();
        if (format != FORMAT) {
            throw new IOException(manifestFile + ": format is " + format + ", this reader knows " + FORMAT);
        }
        String parametersName = required(root, "parameters", manifestFile).asText();
        if (parametersName.isBlank() || !Path.of(parametersName).getFileName().toString().equals(parametersName)) {
            // a plain name only: a manifest must not point a reader at files outside its directory
            throw new IOException(manifestFile + ": parameters must be a file name in the same directory, got " + parametersName);
        }
        MappingConfig config;
        try {
            config = JSON.treeToValue(required(root, "config", manifestFile), MappingConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(manifestFile + ": config is not a valid mapping configuration: " + e.getMessage(), e);
        }
        List<String> words = new ArrayList<>();
        for (JsonNode w : required(root, "vocabulary", manifestFile)) {
            words.add(w.asText());
        }
        Instant created;
        try {
            created = Instant.parse(required(root, "created", manifestFile).asText());
        } catch (DateTimeParseException e) {
            throw new IOException(manifestFile + ": created is not an ISO-8601 instant: " + root.get("created").asText(), e);
        }
        try {
            return builder().setConfig(config).setVocabulary(words)
                    .setVersion(required(root, "modelVersion", manifestFile).asLong())
                    .setParameters(Files.readAllBytes(versionDir.resolve(parametersName)))
                    .optTrainSeen(required(root, "trainPairsSeen", manifestFile).asLong())
                    .optCreated(created)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException(manifestFile + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String field, Path file) throws IOException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IOException(file + ": field " + field + " is missing");
        }
        return node;
    }

    /** The published version directories under {@code root}, oldest first; empty when there is no root. */
    public static List<Path> list(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root,
                p -> VERSION_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))) {
            dirs.forEach(out::add);
        }
        // 12 zero-padded digits: name order is version order
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** The newest published version directory under {@code root}, if any. */
    public static Optional<Path> latest(Path root) throws IOException {
        List<Path> all = list(root);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: a hidden leftover is never listed as a version
        }
    }

    /** Builds a {@link MappingArtifact}: config, vocabulary, version and parameters are required. */
    public static final class Builder {

        private MappingConfig config;
        private List<String> vocabulary;
        private long version = -1;
        private byte[] parameters;
        private long trainSeen;
        private Instant created;

        private Builder() {
        }

        public Builder setConfig(MappingConfig config) {
            this.config = config;
            return this;
        }

        /** The attribute words in head order (AttributeVocabulary#words()). */
        public Builder setVocabulary(List<String> words) {
            this.vocabulary = words;
            return this;
        }

        /** The model version (optimisation steps taken); 0 or more. */
        public Builder setVersion(long version) {
            this.version = version;
            return this;
        }

        /** The bytes of {@link MappingModel#parameters()}. */
        public Builder setParameters(byte[] parameters) {
            this.parameters = parameters;
            return this;
        }

        /** TRAIN pairs the model had seen; default 0. */
        public Builder optTrainSeen(long trainSeen) {
            this.trainSeen = trainSeen;
            return this;
        }

        /** Default: when built. */
        public Builder optCreated(Instant created) {
            this.created = created;
            return this;
        }

        public MappingArtifact build() {
            if (config == null) {
                throw new IllegalArgumentException("config must be set");
            }
            if (vocabulary == null || vocabulary.isEmpty()) {
                throw new IllegalArgumentException("vocabulary must have at least one word, got " + vocabulary);
            }
            if (vocabulary.stream().anyMatch(w -> w == null || w.isBlank())) {
                throw new IllegalArgumentException("vocabulary words must not be blank, got " + vocabulary);
            }
            if (version < 0 || version >= 1_000_000_000_000L) {
                throw new IllegalArgumentException("version must be 0 to 999999999999 (12 digits), got " + version);
            }
            if (parameters == null || parameters.length == 0) {
                throw new IllegalArgumentException("parameters must not be empty, got "
                        + (parameters == null ? "null" : "0 bytes"));
            }
            if (trainSeen < 0) {
                throw new IllegalArgumentException("trainSeen must be 0 or more, got " + trainSeen);
            }
            return new MappingArtifact(this);
        }
    }
}
