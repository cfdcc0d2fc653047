package io.villa.producers.dicomweb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three DICOMweb requests the follower makes: QIDO-RS search for instances, WADO-RS metadata of one instance
 * (DICOM JSON) and WADO-RS rendered image of one instance (PNG, presentation-ready). Responses are read up to a size
 * limit before they are parsed. Error messages name the request and the status only: URLs carry UIDs.
 */
public final class DicomWebClient {

    /** Largest JSON answer read (a search page or one instance's metadata). */
    public static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    /** Largest rendered image read. */
    public static final int MAX_IMAGE_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final DicomWebAuth auth;
    private final HttpClient http;
    private final Duration timeout;

    /** @param serviceRoot the DICOMweb root, e.g. http://host:8042/dicom-web */
    public DicomWebClient(URI serviceRoot, DicomWebAuth auth, Duration timeout) {
        String root = serviceRoot.toString();
        if (!"http".equals(serviceRoot.getScheme()) && !"https".equals(serviceRoot.getScheme())) {
            throw new IllegalArgumentException("the DICOMweb URL must be http or https");
        }
        this.base = root.endsWith("/") ? root : root + "/";
        this.auth = auth;
        this.timeout = timeout;
        // HTTP/1.1: the JDK client's default on cleartext is an h2c upgrade, which PACS web servers (Orthanc's among them)
        // may answer by closing the connection
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One page of instances of a modality (null: any) (QIDO-RS, all studies), with the UIDs that address them. */
    public List<InstanceRef> searchInstances(String modality, int offset, int limit) throws IOException {
        String query = "instances?" + (modality == null ? "" : "Modality=" + URLEncoder.encode(modality, StandardCharsets.UTF_8) + "&")
                + "offset=" + offset + "&limit=" + limit
                + "&includefield=" + DicomJson.STUDY_INSTANCE_UID + "&includefield=" + DicomJson.SERIES_INSTANCE_UID;
        JsonNode answer = json(get(query, "application/dicom+json", MAX_JSON_BYTES, "QIDO-RS search"), "QIDO-RS search");
        if (answer == null || answer.isNull() || answer.isMissingNode()) {
            return List.of(); // some servers answer 204 with no body when nothing matches
        }
        if (!answer.isArray()) {
            throw new DicomWebException("QIDO-RS search: the answer is not a JSON array", 200);
        }
        List<InstanceRef> refs = new ArrayList<>(answer.size());
        for (JsonNode node : answer) {
            if (!node.isObject()) {
                continue;
            }
            DicomJson item = DicomJson.of(node);
            var study = item.string(DicomJson.STUDY_INSTANCE_UID);
            var series = item.string(DicomJson.SERIES_INSTANCE_UID);
            var sop = item.string(DicomJson.SOP_INSTANCE_UID);
            if (study.isPresent() && series.isPresent() && sop.isPresent()) {
                refs.add(new InstanceRef(study.get(), series.get(), sop.get()));
            }
        }
        return refs;
    }

    /** The instance's attributes (WADO-RS metadata; bulk data such as pixels only by reference). */
    public DicomJson metadata(InstanceRef ref) throws IOException {
        JsonNode answer = json(get(ref.path() + "/metadata", "application/dicom+json", MAX_JSON_BYTES, "WADO-RS metadata"),
                "WADO-RS metadata");
        if (answer == null || !answer.isArray() || answer.isEmpty() || !answer.get(0).isObject()) {
            throw new DicomWebException("WADO-RS metadata: the answer is not an array of one DICOM JSON object", 422);
        }
        return DicomJson.of(answer.get(0));
    }

    /** The instance rendered as PNG (first frame), with the window given, or the server's default without. */
    public byte[] renderedPng(InstanceRef ref, RenderWindow window) throws IOException {
        String path = ref.path() + "/rendered" + (window == null ? "" : "?" + window.query());
        return get(path, "image/png", MAX_IMAGE_BYTES, "WADO-RS rendered");
    }

    private byte[] get(String relative, String accept, int maxBytes, String what) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + relative)).timeout(timeout)
                .header("Accept", accept).GET();
        auth.header().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DicomWebException(what + ": interrupted", e);
        } catch (IOException e) {
            throw new DicomWebException(what + ": no answer (" + e.getClass().getSimpleName() + ")", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 204) {
                return new byte[0];
            }
            if (response.statusCode() != 200) {
                throw new DicomWebException(what + ": HTTP " + response.statusCode(), response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new DicomWebException(what + ": answer of " + declared + " bytes, over the limit of " + maxBytes, 413);
            }
            return readAtMost(body, maxBytes, what);
        }
    }

    private static byte[] readAtMost(InputStream in, int maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > maxBytes) {
                throw new DicomWebException(what + ": answer over the limit of " + maxBytes + " bytes", 413);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static JsonNode json(byte[] bytes, String what) throws DicomWebException {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            // Jackson's message may quote the document: name the failure only
            throw new DicomWebException(what + ": the answer is not JSON", 422);
        }
    }
}
