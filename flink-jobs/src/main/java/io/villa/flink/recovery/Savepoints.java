package io.villa.flink.recovery;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the decomposition job's savepoints go, and the check of a snapshot named to start from. */
public final class Savepoints {

    private static final String METADATA = "_metadata";

    private Savepoints() {
    }

    /**
     * The default savepoint directory: beside {@code checkpointDir}, its last name with "checkpoints" turned into
     * "savepoints" (file:///tmp/villa/decompose-checkpoints -> file:///tmp/villa/decompose-savepoints), otherwise
     * with "-savepoints" added. Kept out of the checkpoint directory: a savepoint is the user's, not the job's.
     */
    public static String defaultDirectory(String checkpointDir) {
        String dir = checkpointDir;
        while (dir.length() > 1 && dir.endsWith("/") && !dir.endsWith("://")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        int slash = dir.lastIndexOf('/');
        String parent = dir.substring(0, slash + 1);
        String name = dir.substring(slash + 1);
        if (name.isEmpty()) {
            return parent + "savepoints";
        }
        return parent + (name.endsWith("checkpoints") ? name.substring(0, name.length() - "checkpoints".length()) + "savepoints"
                : name + "-savepoints");
    }

    /**
     * Fails at once if {@code path} (a file: URI or a plain path) is not a savepoint or retained checkpoint: a
     * directory with {@code _metadata}, or that file itself. Other schemes (s3:, hdfs:) are left to Flink: their file
     * systems are the cluster's, not necessarily this process's.
     *
     * @param option the option that named it, for the message
     */
    public static void checkRestorable(String path, String option) {
        Path local;
        if (path.startsWith("file:")) {
            try {
                local = Path.of(URI.create(path));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + path + " is not a valid file: URI (" + e.getMessage() + ")");
            }
        } else if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return;
        } else {
            local = Path.of(path);
        }
        if (!Files.exists(local)) {
            throw new IllegalArgumentException(option + " " + path + ": no such file or directory");
        }
        boolean metadataFile = Files.isRegularFile(local) && METADATA.equals(String.valueOf(local.getFileName()));
        if (!metadataFile && !Files.isRegularFile(local.resolve(METADATA))) {
            throw new IllegalArgumentException(option + " " + path + " is not a savepoint or retained checkpoint: it holds no "
                    + METADATA + " (a savepoint-... or chk-N directory has one)");
        }
    }
}
