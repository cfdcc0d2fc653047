package io.villa.producers.hl7;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.DataTypeException;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.primitive.CommonTS;
import ca.uhn.hl7v2.util.Terser;
import io.villa.records.ReportStatus;

/**
 * Reads the reports out of a parsed ORU^R01: walks its segments in order (so any version's structure works), takes
 * each OBR's accession number, the OBX-5 text lines that follow it, the result status and time, and gathers the
 * names, ids and addresses the message knows so that the scrubber can remove them from the text. Orders of the same
 * accession number in one message are one report. Rejections name fields, never values.
 */
public final class OruReader {

    /** Value types whose OBX-5 is report text. */
    private static final Set<String> TEXT_TYPES = Set.of("TX", "FT", "ST");
    /** HL7 formatted-text commands: \.br\ is a line break, the others (\.sp\, \.in\, \H\, \N\ ...) only layout. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\\\\\.br\\\\", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORMATTING = Pattern.compile("\\\\(?:\\.[a-z]{1,2}[+-]?\\d{0,4}|[HN])\\\\", Pattern.CASE_INSENSITIVE);

    private final AccessionField accessionField;

    public OruReader(AccessionField accessionField) {
        this.accessionField = Objects.requireNonNull(accessionField, "accessionField");
    }

    public OruMessage read(Message message) throws Hl7Rejection {
        try {
            return readChecked(message);
        } catch (HL7Exception e) {
            // HAPI's message may quote a value: only its error code and location go out
            throw Hl7Rejection.reject(ErrorCode.APPLICATION_INTERNAL_ERROR, "cannot read the message's fields ("
                    + e.getErrorCode() + (e.getLocation() == null || e.getLocation().isUnknown() ? "" : " at " + e.getLocation()) + ")");
        }
    }

    private OruMessage readChecked(Message message) throws HL7Exception, Hl7Rejection {
        List<Segment> segments = new ArrayList<>();
        collect(message, segments);
        Segment msh = segments.isEmpty() ? null : segments.get(0);
        if (msh == null || !"MSH".equals(msh.getName())) {
            throw Hl7Rejection.reject(ErrorCode.SEGMENT_SEQUENCE_ERROR, "no MSH segment");
        }
        String type = value(msh, 9, 0, 1);
        String event = value(msh, 9, 0, 2);
        if (!"ORU".equalsIgnoreCase(type) || !"R01".equalsIgnoreCase(event)) {
            throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "unsupported message type (MSH-9): only ORU^R01 is taken");
        }
        String controlId = value(msh, 10, 0, 1);
        if (controlId.isEmpty()) {
            throw Hl7Rejection.reject(ErrorCode.REQUIRED_FIELD_MISSING, "no message control id (MSH-10)");
        }

        Set<String> names = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> phones = new LinkedHashSet<>();
        Set<String> addresses = new LinkedHashSet<>();
        ids.add(controlId);
        Map<String, OrderBuilder> orders = new LinkedHashMap<>();
        OrderBuilder current = null;
        int obrCount = 0;
        for (Segment segment : segments) {
            switch (segment.getName()) {
                case "PID" -> {
                    for (int field : new int[] {5, 6, 9}) {
                        nameParts(segment, field, names);
                    }
                    for (int field : new int[] {2, 3, 4, 18, 20}) {
                        firstComponents(segment, field, ids);
                    }
                    allValues(segment, 19, ids);
                    firstComponents(segment, 13, phones);
                    firstComponents(segment, 14, phones);
                    addressParts(segment, 11, addresses);
                }
                case "NK1" -> {
                    nameParts(segment, 2, names);
                    firstComponents(segment, 5, phones);
                    firstComponents(segment, 6, phones);
                    addressParts(segment, 4, addresses);
                }
                case "PV1" -> firstComponents(segment, 19, ids);
                case "ORC" -> {
                    firstComponents(segment, 2, ids);
                    firstComponents(segment, 3, ids);
                }
                case "OBR" -> {
                    obrCount++;
                    for (int field : new int[] {2, 3, 18, 19, 20}) {
                        firstComponents(segment, field, ids);
                    }
                    String accession = value(segment, accessionField.field(), 0, 1);
                    if (accession.isEmpty()) {
                        throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, "no accession number in " + accessionField
                                + " of order " + obrCount);
                    }
                    current = orders.computeIfAbsent(accession, OrderBuilder::new);
                    current.status(value(segment, 25, 0, 1));
                    current.observedAt(value(segment, 22, 0, 1));
                }
                case "OBX" -> {
                    if (current == null) {
                        throw Hl7Rejection.reject(ErrorCode.SEGMENT_SEQUENCE_ERROR, "OBX before any OBR");
                    }
                    current.status(value(segment, 11, 0, 1));
                    current.observedAt(value(segment, 14, 0, 1));
                    if (TEXT_TYPES.contains(value(segment, 2, 0, 1).toUpperCase(Locale.ROOT))) {
                        for (Type line : segment.getField(5)) {
                            current.line(text(line));
                        }
                    }
                }
                default -> {
                    // other segments (EVN, PD1, PV2, NTE, SPM, Z segments) carry nothing the report needs
                }
            }
        }
        if (orders.isEmpty()) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, "no order (OBR segment)");
        }
        List<OruMessage.Order> reports = new ArrayList<>();
        int index = 0;
        for (OrderBuilder order : orders.values()) {
            index++;
            reports.add(order.build(index));
        }
        return new OruMessage(controlId, List.copyOf(reports), List.copyOf(names), List.copyOf(ids), List.copyOf(phones),
                List.copyOf(addresses));
    }

    /** Every segment of the message, depth first, in structure order (which follows the message within a group). */
    private static void collect(Group group, List<Segment> into) throws HL7Exception {
        for (String name : group.getNames()) {
            for (Structure structure : group.getAll(name)) {
                if (structure instanceof Segment segment) {
                    if (!segment.isEmpty()) {
                        into.add(segment);
                    }
                } else if (structure instanceof Group child) {
                    collect(child, into);
                }
            }
        }
    }

    private static String value(Segment segment, int field, int rep, int component) throws HL7Exception {
        if (segment.numFields() < field) {
            return "";
        }
        String value = Terser.get(segment, field, rep, component, 1);
        return value == null ? "" : value.strip();
    }

    /** The first component of each repetition (the id of a CX or EI, the number of an XTN). */
    private static void firstComponents(Segment segment, int field, Set<String> into) throws HL7Exception {
        if (segment.numFields() < field) {
            return;
        }
        for (Type type : segment.getField(field)) {
            String value = first(type);
            if (!value.isBlank()) {
                into.add(value.strip());
            }
        }
    }

    /** Every primitive value of every repetition (all the parts of a person name). */
    private static void allValues(Segment segment, int field, Set<String> into) throws HL7Exception {
        if (segment.numFields() < field) {
            return;
        }
        for (Type type : segment.getField(field)) {
            primitives(type, into);
        }
    }

    /**
     * XPN: family name (1, with its own sub-components), given name (2), further given names (3), suffix (4), prefix
     * (5); not the degree or the codes after it (name type "BAD", "L", ...), which are not the person's name.
     */
    private static void nameParts(Segment segment, int field, Set<String> into) throws HL7Exception {
        if (segment.numFields() < field) {
            return;
        }
        for (Type type : segment.getField(field)) {
            if (type instanceof Composite composite) {
                Type[] components = composite.getComponents();
                for (int index = 0; index < Math.min(5, components.length); index++) {
                    primitives(components[index], into);
                }
            } else {
                primitives(type, into);
            }
        }
    }

    /** XAD: street (1), other designation (2), city (3), postal code (5). */
    private static void addressParts(Segment segment, int field, Set<String> into) throws HL7Exception {
        if (segment.numFields() < field) {
            return;
        }
        for (Type type : segment.getField(field)) {
            if (type instanceof Composite composite) {
                Type[] components = composite.getComponents();
                for (int index : new int[] {0, 1, 2, 4}) {
                    if (index < components.length) {
                        primitives(components[index], into);
                    }
                }
            } else {
                primitives(type, into);
            }
        }
    }

    private static String first(Type type) {
        Type inner = type instanceof Varies varies ? varies.getData() : type;
        while (inner instanceof Composite composite && composite.getComponents().length > 0) {
            inner = composite.getComponents()[0];
            if (inner instanceof Varies varies) {
                inner = varies.getData();
            }
        }
        return inner instanceof Primitive primitive && primitive.getValue() != null ? primitive.getValue() : "";
    }

    private static void primitives(Type type, Set<String> into) {
        if (type instanceof Varies varies) {
            primitives(varies.getData(), into);
        } else if (type instanceof Composite composite) {
            for (Type component : composite.getComponents()) {
                primitives(component, into);
            }
        } else if (type instanceof Primitive primitive && primitive.getValue() != null && !primitive.getValue().isBlank()) {
            into.add(primitive.getValue().strip());
        }
    }

    /** One OBX-5 repetition as text: formatted-text line breaks become new lines, other layout commands go. */
    private static String text(Type type) {
        Set<String> parts = new LinkedHashSet<>();
        Type inner = type instanceof Varies varies ? varies.getData() : type;
        String value;
        if (inner instanceof Primitive primitive) {
            value = primitive.getValue() == null ? "" : primitive.getValue();
        } else {
            primitives(inner, parts);
            value = String.join(" ", parts);
        }
        value = LINE_BREAK.matcher(value).replaceAll("\n");
        return FORMATTING.matcher(value).replaceAll("");
    }

    /** Collects one accession number's orders. */
    private static final class OrderBuilder {
        private final String accession;
        private final StringBuilder text = new StringBuilder();
        private String status = "";
        private String observedAt = "";

        OrderBuilder(String accession) {
            this.accession = accession;
        }

        void status(String value) {
            if (status.isEmpty()) {
                status = value;
            }
        }

        void observedAt(String value) {
            if (observedAt.isEmpty()) {
                observedAt = value;
            }
        }

        void line(String line) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line);
        }

        OruMessage.Order build(int index) throws Hl7Rejection {
            String report = text.toString().strip();
            if (report.isEmpty()) {
                throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, "no report text (OBX-5 of type TX, FT or ST) in order "
                        + index);
            }
            ReportStatus reportStatus = switch (status.toUpperCase(Locale.ROOT)) {
                case "P" -> ReportStatus.PRELIMINARY;
                case "F" -> ReportStatus.FINAL;
                case "C" -> ReportStatus.CORRECTED;
                case "" -> throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING,
                        "no result status (OBR-25 or OBX-11) in order " + index);
                default -> throw Hl7Rejection.error(ErrorCode.TABLE_VALUE_NOT_FOUND,
                        "unsupported result status (OBR-25/OBX-11) in order " + index + ": only P, F and C are taken");
            };
            return new OruMessage.Order(accession, report, reportStatus, instant(observedAt));
        }

        /** An HL7 timestamp; without a zone it is the listener's local time. Unreadable: null (it only orders versions). */
        private static Instant instant(String value) {
            if (value.isEmpty()) {
                return null;
            }
            try {
                return new CommonTS(value).getValueAsDate().toInstant();
            } catch (DataTypeException | RuntimeException e) {
                return null;
            }
        }
    }
}
