package io.villa.producers.simulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Orthanc process with its DICOMweb plugin (Debian packages orthanc, orthanc-dicomweb), on free ports, with its
 * storage in a temporary folder. Minimal, for the simulator's tests; the DICOMweb follower has its own helper.
 */
final class OrthancTestServer implements AutoCloseable {

    static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    /** Debian installs it in /usr/sbin, which is not on every user's PATH. */
    static final String PROGRAM = Files.isExecutable(Path.of("/usr/sbin/Orthanc")) ? "/usr/sbin/Orthanc" : "Orthanc";

    private final Process process;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private OrthancTestServer(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Null when Orthanc or its DICOMweb plugin is not installed. */
    static String missing() {
        try {
            new ProcessBuilder(PROGRAM, "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return "Orthanc not installed (apt-get install orthanc orthanc-dicomweb)";
        }
        return Files.exists(PLUGIN) ? null : "Orthanc's DICOMweb plugin not installed (apt-get install orthanc-dicomweb)";
    }

    static OrthancTestServer start(Path dir) throws IOException, InterruptedException {
        int httpPort = freePort();
        int dicomPort = freePort();
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Map<String, Object> config = Map.of(
                "Name", "villa-test",
                "StorageDirectory", storage.toString(),
                "IndexDirectory", storage.toString(),
                "HttpPort", httpPort,
                "DicomPort", dicomPort,
                "RemoteAccessAllowed", false,
                "AuthenticationEnabled", false,
                "Plugins", List.of(PLUGIN.toString()),
                "DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/"));
        Path file = dir.resolve("orthanc.json");
        new ObjectMapper().writeValue(file.toFile(), config);
        Process process = new ProcessBuilder(PROGRAM, file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        OrthancTestServer server = new OrthancTestServer(process, httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // never outlive the test JVM
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Orthanc exited: " + Files.readString(dir.resolve("orthanc.log")));
            }
            try {
                if (server.get("/dicom-web/studies").statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IOException("Orthanc did not answer within 60 s");
    }

    String dicomWebUrl() {
        return "http://127.0.0.1:" + httpPort + "/dicom-web";
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return new ObjectMapper().readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
