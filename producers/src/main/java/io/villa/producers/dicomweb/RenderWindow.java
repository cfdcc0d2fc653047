package io.villa.producers.dicomweb;

import java.util.Locale;

/**
 * A VOI window for the server's rendering (the WADO-RS {@code window=center,width,function} parameter, PS3.18 8.3.5.1.2),
 * taken from the instance's WindowCenter/WindowWidth/VOILUTFunction. Servers need it asked for: Orthanc's rendering
 * otherwise stretches the stored range (min..max) to 0..255 and ignores the DICOM's window.
 */
public record RenderWindow(double center, double width, String function) {

    public RenderWindow {
        if (!Double.isFinite(center) || !Double.isFinite(width) || width < 1) {
            throw new IllegalArgumentException("window width must be at least 1 and both values finite");
        }
    }

    /** The window the DICOM names, or null when it names none usable. */
    static RenderWindow of(DicomJson metadata) {
        var center = metadata.number(DicomJson.WINDOW_CENTER);
        var width = metadata.number(DicomJson.WINDOW_WIDTH);
        if (center.isEmpty() || width.isEmpty() || !Double.isFinite(center.getAsDouble()) || width.getAsDouble() < 1
                || !Double.isFinite(width.getAsDouble())) {
            return null;
        }
        String function = switch (metadata.string(DicomJson.VOI_LUT_FUNCTION).orElse("LINEAR").toUpperCase(Locale.ROOT)) {
            case "SIGMOID" -> "sigmoid";
            case "LINEAR_EXACT" -> "linear-exact";
            default -> "linear";
        };
        return new RenderWindow(center.getAsDouble(), width.getAsDouble(), function);
    }

    String query() {
        return "window=" + number(center) + "," + number(width) + "," + function;
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
