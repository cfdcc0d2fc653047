package io.villa.producers.dicomweb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Orthanc PACS with its DICOMweb plugin, started as a child process for tests and the demo: a generated
 * configuration (free HTTP port on loopback, the DICOM port off or on a free port, storage in a directory of its own,
 * the DicomWeb plugin enabled, no authentication since only loopback can reach it), waited for until it answers, and
 * stopped on {@link #close()}. The binary and plugin are found at the Debian packages' places ({@code orthanc},
 * {@code orthanc-dicomweb}) or given by {@value #BINARY_ENV} and {@value #PLUGIN_ENV}.
 */
public final class OrthancProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrthancProcess.class);

    public static final String BINARY_ENV = "VILLA_ORTHANC";
    public static final String PLUGIN_ENV = "VILLA_ORTHANC_DICOMWEB";
    private static final List<String> BINARIES = List.of("/usr/sbin/Orthanc", "/usr/bin/Orthanc", "/usr/local/bin/Orthanc");
    private static final List<String> PLUGIN_DIRS = List.of("/usr/share/orthanc/plugins", "/usr/lib/orthanc",
            "/usr/local/share/orthanc/plugins");

    private final Process process;
    private final Path workDir;
    private final boolean ownWorkDir;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade, as DicomWebClient
            .connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancProcess(Process process, Path workDir, boolean ownWorkDir, int httpPort, int dicomPort) {
        this.process = process;
        this.workDir = workDir;
        this.ownWorkDir = ownWorkDir;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    /** The Orthanc binary, when installed. */
    public static Optional<Path> findBinary() {
        String env = System.getenv(BINARY_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isExecutable);
        }
        for (String candidate : BINARIES) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /** The DICOMweb plugin library, when installed. */
    public static Optional<Path> findDicomWebPlugin() {
        String env = System.getenv(PLUGIN_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isReadable);
        }
        for (String dir : PLUGIN_DIRS) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                continue;
            }
            try (Stream<Path> files = Files.list(path)) {
                Optional<Path> plugin = files.filter(f -> f.getFileName().toString().startsWith("libOrthancDicomWeb.so"))
                        .min(Comparator.comparing(f -> f.getFileName().toString().length()));
                if (plugin.isPresent()) {
                    return plugin;
                }
            } catch (IOException e) {
                // not readable: try the next place
            }
        }
        return Optional.empty();
    }

    /** True when both the binary and the DICOMweb plugin are installed. */
    public static boolean available() {
        return findBinary().isPresent() && findDicomWebPlugin().isPresent();
    }

    /** Starts Orthanc with storage in a new temporary directory (deleted on close), DICOM port off. */
    public static OrthancProcess start() {
        return start(null, false);
    }

    /**
     * Starts Orthanc and waits until its REST API and DICOMweb answer.
     *
     * @param workDir  where storage, configuration and log go (null: a new temporary directory, deleted on close)
     * @param dicomPort whether to open the DICOM port (C-STORE from storescu) on a free port
     */
    public static OrthancProcess start(Path workDir, boolean dicomPort) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException(
                "Orthanc is not installed (Debian: apt-get install orthanc orthanc-dicomweb; or set " + BINARY_ENV + ")"));
        Path plugin = findDicomWebPlugin().orElseThrow(() -> new IllegalStateException(
                "the Orthanc DICOMweb plugin is not installed (Debian: orthanc-dicomweb; or set " + PLUGIN_ENV + ")"));
        try {
            boolean own = workDir == null;
            Path dir = own ? Files.createTempDirectory("villa-orthanc") : Files.createDirectories(workDir);
            Path storage = Files.createDirectories(dir.resolve("storage"));
            int http = freePort();
            int dicom = dicomPort ? freePort() : -1;
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("Name", "villa-test-pacs");
            config.put("StorageDirectory", storage.toString());
            config.put("IndexDirectory", storage.toString());
            config.put("HttpPort", http);
            config.put("RemoteAccessAllowed", false);   // loopback only...
            config.put("AuthenticationEnabled", false); // ...so no credentials
            config.put("DicomServerEnabled", dicomPort);
            if (dicomPort) {
                config.put("DicomPort", dicom);
                config.put("DicomAet", "VILLAPACS");
                config.put("DicomCheckCalledAet", false);
            }
            config.put("HttpCompressionEnabled", false);
            config.put("StableAge", 1);
            config.put("Plugins", List.of(plugin.toString()));
            config.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/", "EnableWado", false));
            Path configFile = dir.resolve("orthanc.json");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
            Path log = dir.resolve("orthanc.log");
            List<String> command = new ArrayList<>(List.of(binary.toString(), configFile.toString()));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            OrthancProcess orthanc = new OrthancProcess(process, dir, own, http, dicom);
            try {
                orthanc.awaitReady(Duration.ofSeconds(60), log);
            } catch (RuntimeException e) {
                orthanc.close();
                throw e;
            }
            LOG.info("Orthanc {} on port {} (DICOMweb {})", binary, http, orthanc.dicomWebUrl());
            return orthanc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Orthanc: " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + " at start; see " + log);
            }
            if (answers("/system") && answers("/dicom-web/studies")) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Orthanc", e);
            }
        }
        throw new IllegalStateException("Orthanc did not answer within " + timeout + "; see " + log);
    }

    private boolean answers(String path) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stores one DICOM file through Orthanc's REST API (POST /instances). Storing is idempotent (the same instance is
     * stored once), so a connection the server closed under a reused keep-alive connection is simply tried again.
     */
    public void upload(Path dicomFile) {
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(restUrl() + "/instances"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofFile(dicomFile)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("Orthanc refused " + dicomFile.getFileName() + ": HTTP " + response.statusCode());
                }
                return;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new UncheckedIOException("cannot upload " + dicomFile.getFileName() + " to Orthanc (3 attempts)", last);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The DICOM port, or -1 when it is off. */
    public int dicomPort() {
        return dicomPort;
    }

    public String restUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String dicomWebUrl() {
        return restUrl() + "/dicom-web";
    }

    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (ownWorkDir) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.debug("could not delete {}", workDir);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
