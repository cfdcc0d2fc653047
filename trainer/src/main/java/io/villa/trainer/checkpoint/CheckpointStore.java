package io.villa.trainer.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.trainer.model.ContrastiveModel;

/**
 * Checkpoints in one directory: {@code ckpt-<step>/} each holding the model (parameters, optimizer
 * state, settings) and {@code state.properties} (step, samples, Kafka offsets, metrics).
 *
 * <p>Atomic: a checkpoint is written into a hidden temporary directory beside the others, each file
 * forced to disk, then renamed into place in one step; a directory named {@code ckpt-*} is therefore
 * always complete. Leftover temporary directories (a crash mid-write) are deleted on open.
 *
 * <p>Retention: the newest {@code keepLast} and the best (by a metric, higher is better, recorded in
 * {@code best.properties}, itself replaced atomically) are kept; older ones are deleted.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    public static final String STATE_FILE = "state.properties";
    private static final String BEST_FILE = "best.properties";
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})");

    private final Path root;
    private final int keepLast;

    public CheckpointStore(Path root, int keepLast) throws IOException {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1");
        }
        this.root = root;
        this.keepLast = keepLast;
        Files.createDirectories(root);
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(root, ".tmp-*")) {
            for (Path p : tmp) {
                LOG.warn("deleting incomplete checkpoint {} (left by an interrupted write)", p.getFileName());
                deleteTree(p);
            }
        }
    }

    public Path root() {
        return root;
    }

    /** A checkpoint on disk. */
    public record Saved(Path dir, CheckpointState state) {
    }

    /** Writes a checkpoint atomically and prunes old ones; returns its directory. */
    public Path save(ContrastiveModel model, CheckpointState state) throws IOException {
        Path target = root.resolve(String.format("ckpt-%012d", state.step()));
        if (Files.exists(target)) {
            // same step, so the same model; only the state can have moved on (a pass ended): replace it atomically
            Path tmp = Files.createTempFile(root, ".tmp-state-", ".properties");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                state.toProperties().store(out, "ViLLA trainer checkpoint state");
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            moveAtomically(tmp, target.resolve(STATE_FILE));
            return target;
        }
        Path tmp = Files.createTempDirectory(root, ".tmp-ckpt-");
        try {
            model.writeState(tmp);
            try (OutputStream out = Files.newOutputStream(tmp.resolve(STATE_FILE))) {
                state.toProperties().store(out, "ViLLA trainer checkpoint state");
            }
            forceAll(tmp);
            moveAtomically(tmp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        prune();
        return target;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Saved> latest() throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(new Saved(all.get(i), readState(all.get(i))));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping unreadable checkpoint {}: {}", all.get(i).getFileName(), e.toString());
            }
        }
        return Optional.empty();
    }

    public static CheckpointState readState(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(STATE_FILE))) {
            p.load(in);
        }
        return CheckpointState.fromProperties(p);
    }

    /** Records {@code dir} as the best if {@code metric} beats the current best; returns whether it did. */
    public boolean offerBest(Path dir, double metric) throws IOException {
        if (Double.isNaN(metric)) {
            return false;
        }
        Optional<Path> current = best();
        if (current.isPresent() && Files.isDirectory(current.get()) && bestMetric() >= metric) {
            return false;
        }
        Properties p = new Properties();
        p.setProperty("checkpoint", dir.getFileName().toString());
        p.setProperty("metric", Double.toString(metric));
        Path tmp = Files.createTempFile(root, ".tmp-best-", ".properties");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "best checkpoint by validation text->region R-precision");
        }
        moveAtomically(tmp, root.resolve(BEST_FILE));
        return true;
    }

    public Optional<Path> best() throws IOException {
        Path f = root.resolve(BEST_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return Optional.of(root.resolve(p.getProperty("checkpoint")));
    }

    private double bestMetric() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(root.resolve(BEST_FILE))) {
            p.load(in);
        }
        return Double.parseDouble(p.getProperty("metric", "NaN"));
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "ckpt-*")) {
            for (Path p : dirs) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        Path keep = best().orElse(null);
        for (int i = 0; i < all.size() - keepLast; i++) {
            if (!all.get(i).equals(keep)) {
                deleteTree(all.get(i));
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the checkpoint directory's file system cannot rename atomically: " + to.getParent(), e);
        }
    }

    private static void forceAll(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                try (var channel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        try {
            if (!Files.exists(dir)) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
