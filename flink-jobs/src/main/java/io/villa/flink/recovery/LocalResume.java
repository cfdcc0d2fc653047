package io.villa.flink.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;

/**
 * Lets a local run of the decomposition job that was killed, failed or cancelled pick up where its last
 * checkpoint left it, with the same command. Without this, a new run starts from the consumer group's committed
 * offsets with an empty state, and whatever waited in the old run's state (pairs waiting for the model's warm-up)
 * is gone.
 *
 * <p>A job's identity is its consumer group and pair topic: {@link #jobId} derives a fixed Flink job id from them,
 * so its checkpoints always land in {@code <checkpoint-dir>/<job id>/chk-<n>} and a later run finds them there,
 * and never another job's. A job that finishes deletes its checkpoints; one restored in claim mode deletes the
 * restored one once a newer one exists, so only an unfinished run leaves something to resume.
 */
public final class LocalResume {

    public static final String LATEST = "latest";
    public static final String NONE = "none";

    private LocalResume() {
    }

    /** The fixed job id of the job reading {@code topic} as {@code groupId}. */
    public static JobID jobId(String groupId, String topic) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((groupId + "\n" + topic).getBytes(StandardCharsets.UTF_8));
            return new JobID(java.nio.ByteBuffer.wrap(digest, 0, 8).getLong(), java.nio.ByteBuffer.wrap(digest, 8, 8).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What {@code --resume} names: for {@code latest}, the newest completed checkpoint of {@code jobId} under
     * {@code checkpointDir} (a file: URI or path), if any; for {@code none}, nothing; otherwise the given path.
     */
    public static Optional<String> restorePath(String resume, String checkpointDir, JobID jobId) {
        if (NONE.equals(resume)) {
            return Optional.empty();
        }
        if (!LATEST.equals(resume)) {
            return Optional.of(resume);
        }
        return newestCheckpoint(localPath(checkpointDir).resolve(jobId.toHexString())).map(p -> p.toUri().toString());
    }

    /** The completed checkpoint (it has {@code _metadata}) with the highest number in a job's directory. */
    static Optional<Path> newestCheckpoint(Path jobDirectory) {
        if (!Files.isDirectory(jobDirectory)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(jobDirectory)) {
            return children
                    .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + jobDirectory, e);
        }
    }

    private static Path localPath(String checkpointDir) {
        if (checkpointDir.startsWith("file:")) {
            return Path.of(URI.create(checkpointDir));
        }
        if (checkpointDir.contains("://")) {
            throw new IllegalArgumentException("--resume latest looks for checkpoints on the local file system, but --checkpoint-dir is "
                    + checkpointDir + ": pass --resume PATH (or none)");
        }
        return Path.of(checkpointDir);
    }
}
