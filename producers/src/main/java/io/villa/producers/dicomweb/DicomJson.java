package io.villa.producers.dicomweb;

import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads attributes from one DICOM JSON object (PS3.18 F.2: {@code {"00080050": {"vr": "SH", "Value": ["..."]}}}), as
 * QIDO-RS and WADO-RS metadata return them. Only the first value of a multi-valued attribute is read. Servers write
 * numbers (DS, IS) as JSON numbers or strings; both are accepted.
 */
public final class DicomJson {

    public static final String SOP_INSTANCE_UID = "00080018";
    public static final String STUDY_INSTANCE_UID = "0020000D";
    public static final String SERIES_INSTANCE_UID = "0020000E";
    public static final String ACCESSION_NUMBER = "00080050";
    public static final String MODALITY = "00080060";
    public static final String SERIES_DESCRIPTION = "0008103E";
    public static final String VIEW_POSITION = "00185101";
    public static final String IMAGE_COMMENTS = "00204000";
    public static final String PHOTOMETRIC_INTERPRETATION = "00280004";
    public static final String ROWS = "00280010";
    public static final String COLUMNS = "00280011";
    public static final String BITS_STORED = "00280101";
    public static final String BURNED_IN_ANNOTATION = "00280301";
    public static final String WINDOW_CENTER = "00281050";
    public static final String WINDOW_WIDTH = "00281051";
    public static final String VOI_LUT_FUNCTION = "00281056";
    public static final String NUMBER_OF_FRAMES = "00280008";

    private final JsonNode object;

    private DicomJson(JsonNode object) {
        this.object = object;
    }

    /** @throws IllegalArgumentException when the node is not a JSON object */
    public static DicomJson of(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("not a DICOM JSON object");
        }
        return new DicomJson(object);
    }

    /** The first value as text (a person name's alphabetic form), stripped; empty when absent or blank. */
    public Optional<String> string(String tag) {
        JsonNode first = first(tag);
        if (first == null || first.isNull()) {
            return Optional.empty();
        }
        String text;
        if (first.isObject()) {
            JsonNode alphabetic = first.get("Alphabetic");
            text = alphabetic == null ? null : alphabetic.asText();
        } else if (first.isValueNode()) {
            text = first.asText();
        } else {
            text = null;
        }
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }

    /** The first value as a number; empty when absent or not a number. */
    public OptionalDouble number(String tag) {
        JsonNode first = first(tag);
        if (first == null || first.isNull()) {
            return OptionalDouble.empty();
        }
        if (first.isNumber()) {
            return OptionalDouble.of(first.asDouble());
        }
        if (first.isTextual()) {
            try {
                double value = Double.parseDouble(first.asText().strip());
                return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    private JsonNode first(String tag) {
        JsonNode attribute = object.get(tag);
        if (attribute == null) {
            attribute = object.get(tag.toLowerCase(java.util.Locale.ROOT));
        }
        if (attribute == null || !attribute.isObject()) {
            return null;
        }
        JsonNode value = attribute.get("Value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            return null;
        }
        return value.get(0);
    }
}
