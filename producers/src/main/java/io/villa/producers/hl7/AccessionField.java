package io.villa.producers.hl7;

/**
 * Where an ORU^R01 carries the study's accession number (the join key, the same number the images carry in DICOM
 * (0008,0050)). Sites differ: OBR-3 (filler order number) is the usual place; some RIS put it in OBR-18 (placer field
 * 1) or use the placer order number, OBR-2.
 */
public enum AccessionField {
    OBR_3(3, "OBR-3"), OBR_18(18, "OBR-18"), OBR_2(2, "OBR-2");

    private final int field;
    private final String label;

    AccessionField(int field, String label) {
        this.field = field;
        this.label = label;
    }

    /** The OBR field number. */
    public int field() {
        return field;
    }

    @Override
    public String toString() {
        return label;
    }

    /** Parses OBR-3, obr_3, OBR3 and the like. */
    public static AccessionField parse(String text) {
        String normalized = text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (!normalized.contains("_") && normalized.startsWith("OBR")) {
            normalized = "OBR_" + normalized.substring(3);
        }
        try {
            return valueOf(normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--accession-field: '" + text + "' is not one of OBR-3, OBR-18, OBR-2");
        }
    }
}
