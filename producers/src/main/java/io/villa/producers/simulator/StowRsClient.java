package io.villa.producers.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stores DICOM instances in a PACS by DICOMweb STOW-RS ({@code POST {base}/studies}, multipart/related with one
 * application/dicom part). Any PACS that speaks DICOMweb takes it; Orthanc's DICOMweb plugin is the one in the tests.
 */
public final class StowRsClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI studies;
    private final HttpClient http;
    private final String authorization;

    /**
     * @param baseUrl       the DICOMweb root, e.g. {@code http://localhost:8042/dicom-web}
     * @param authorization value of the Authorization header, or null
     */
    public StowRsClient(String baseUrl, String authorization) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(base + "/studies");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the PACS URL must be http:// or https://, got " + baseUrl);
        }
        this.studies = uri;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build(); // no h2c upgrade, as DicomWebClient
    }

    /**
     * Stores one instance.
     *
     * @throws IOException when the PACS cannot be reached or refuses the instance (status other than 200; 202 means
     *                     stored with warnings, which a STOW-RS server also uses for a partial failure, so it is refused too)
     */
    public void store(byte[] dicom) throws IOException {
        String boundary = "villa-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(dicom.length + 256);
        body.writeBytes(
                ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(dicom);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = HttpRequest.newBuilder(studies)
                .timeout(TIMEOUT)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing to " + studies, e);
        }
        // the response body may echo the instance's attributes (PHI): report the status only
        if (response.statusCode() != 200 || failedSops(response.body()) > 0) {
            throw new IOException("STOW-RS to " + studies + " refused the instance: HTTP " + response.statusCode());
        }
    }

    /** Items of the response's FailedSOPSequence (0008,1198); servers may send it empty. */
    static int failedSops(String body) {
        if (body == null || body.isBlank()) {
            return 0;
        }
        try {
            JsonNode failed = JSON.readTree(body).path("00081198").path("Value");
            return failed.isArray() ? failed.size() : 0;
        } catch (IOException e) {
            return 0; // not JSON (e.g. an XML response): the status code decides
        }
    }

    public URI studiesUri() {
        return studies;
    }
}
