package io.villa.producers.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.villa.records.Box;

/**
 * A manifest feed: JSON Lines ({@code .jsonl}, {@code .ndjson}, {@code .json}) or CSV with a header ({@code .csv}).
 * Fields: {@code image} (path, relative to the manifest's folder), {@code report} (text) or {@code report_path},
 * and optionally {@code boxes}, {@code split}, {@code id}. Boxes are {@code [[x,y,w,h],...]} or
 * {@code [{"x":..,"y":..,"width":..,"height":..}]} in JSON; in CSV {@code "x y w h;x y w h"} (or the JSON form).
 * A line that cannot be parsed becomes a failed input (BAD_MANIFEST_ENTRY); the others go on.
 */
public final class ManifestFeed {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestFeed() {}

    public static List<IngestItem> list(Path manifest) {
        String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
        Path base = manifest.toAbsolutePath().getParent();
        try {
            return name.endsWith(".csv") ? csv(manifest, base) : jsonLines(manifest, base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + manifest, e);
        }
    }

    private static List<IngestItem> jsonLines(Path manifest, Path base) throws IOException {
        List<IngestItem> items = new ArrayList<>();
        String file = manifest.getFileName().toString();
        try (BufferedReader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + number;
                try {
                    JsonNode node = JSON.readTree(line);
                    if (!node.isObject()) {
                        throw new IngestFailure(
                                IngestFailure.Reason.BAD_MANIFEST_ENTRY, where + " is not a JSON object");
                    }
                    items.add(item(
                            where,
                            base,
                            text(node, "image"),
                            text(node, "report"),
                            firstText(node, "report_path", "reportPath"),
                            boxes(node.get("boxes"), where),
                            text(node, "split"),
                            text(node, "id")));
                } catch (JsonProcessingException e) {
                    items.add(IngestItem.broken(
                            where,
                            new IngestFailure(
                                    IngestFailure.Reason.BAD_MANIFEST_ENTRY,
                                    where + " is not valid JSON: " + e.getOriginalMessage(),
                                    e)));
                } catch (IngestFailure e) {
                    items.add(IngestItem.broken(where, e));
                }
            }
        }
        return items;
    }

    private static List<IngestItem> csv(Path manifest, Path base) throws IOException {
        List<IngestItem> items = new ArrayList<>();
        String file = manifest.getFileName().toString();
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows =
                mapper.readerForMapOf(String.class).with(schema).readValues(manifest.toFile())) {
            int number =
                    1; // the header; a row is one line (quoted line breaks would shift the numbers in messages only)
            while (true) {
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    number++;
                    Map<String, String> row = rows.nextValue();
                    String where = file + " line " + number;
                    String boxes = row.get("boxes");
                    items.add(item(
                            where,
                            base,
                            blankToNull(row.get("image")),
                            blankToNull(row.get("report")),
                            blankToNull(row.getOrDefault("report_path", row.get("reportPath"))),
                            boxes == null || boxes.isBlank() ? null : csvBoxes(boxes.strip(), where),
                            blankToNull(row.get("split")),
                            blankToNull(row.get("id"))));
                } catch (IngestFailure e) {
                    items.add(IngestItem.broken(file + " line " + number, e));
                } catch (RuntimeException | IOException e) {
                    items.add(IngestItem.broken(
                            file + " line " + number,
                            new IngestFailure(
                                    IngestFailure.Reason.BAD_MANIFEST_ENTRY,
                                    file + " line " + number + " is not valid CSV: " + e.getMessage(),
                                    e)));
                    break; // the CSV reader cannot resynchronise after a syntax error
                }
            }
        }
        return items;
    }

    private static IngestItem item(
            String where,
            Path base,
            String image,
            String report,
            String reportPath,
            List<Box> boxes,
            String split,
            String id)
            throws IngestFailure {
        if (image == null) {
            throw new IngestFailure(IngestFailure.Reason.BAD_MANIFEST_ENTRY, where + " has no 'image'");
        }
        if (report == null && reportPath == null) {
            throw new IngestFailure(
                    IngestFailure.Reason.EMPTY_REPORT, where + " has neither 'report' nor 'report_path'");
        }
        Path imagePath = base.resolve(image).normalize();
        Path reportFile = report == null ? base.resolve(reportPath).normalize() : null;
        return new IngestItem(
                where + " (" + image + ")",
                image.replace('\\', '/'),
                imagePath,
                report,
                reportFile,
                boxes,
                split,
                id,
                null);
    }

    private static List<Box> boxes(JsonNode node, String where) throws IngestFailure {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new IngestFailure(IngestFailure.Reason.BAD_MANIFEST_ENTRY, where + ": 'boxes' is not a list");
        }
        List<Box> boxes = new ArrayList<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode b = it.next();
            if (b.isArray() && b.size() == 4 && allInts(b)) {
                boxes.add(new Box(
                        b.get(0).asInt(),
                        b.get(1).asInt(),
                        b.get(2).asInt(),
                        b.get(3).asInt()));
            } else if (b.isObject()
                    && b.path("x").isIntegralNumber()
                    && b.path("y").isIntegralNumber()
                    && b.path("width").isIntegralNumber()
                    && b.path("height").isIntegralNumber()) {
                boxes.add(new Box(
                        b.get("x").asInt(),
                        b.get("y").asInt(),
                        b.get("width").asInt(),
                        b.get("height").asInt()));
            } else {
                throw new IngestFailure(
                        IngestFailure.Reason.BAD_MANIFEST_ENTRY,
                        where + ": a box is neither [x,y,w,h] nor {x,y,width,height}");
            }
        }
        return boxes;
    }

    private static List<Box> csvBoxes(String text, String where) throws IngestFailure {
        if (text.startsWith("[")) {
            try {
                return boxes(JSON.readTree(text), where);
            } catch (JsonProcessingException e) {
                throw new IngestFailure(
                        IngestFailure.Reason.BAD_MANIFEST_ENTRY, where + ": 'boxes' is not valid JSON", e);
            }
        }
        List<Box> boxes = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] numbers = part.strip().split("[\\s,]+");
            if (numbers.length != 4) {
                throw new IngestFailure(
                        IngestFailure.Reason.BAD_MANIFEST_ENTRY, where + ": a box needs 4 numbers (x y w h)");
            }
            try {
                boxes.add(new Box(
                        Integer.parseInt(numbers[0]),
                        Integer.parseInt(numbers[1]),
                        Integer.parseInt(numbers[2]),
                        Integer.parseInt(numbers[3])));
            } catch (NumberFormatException e) {
                throw new IngestFailure(
                        IngestFailure.Reason.BAD_MANIFEST_ENTRY,
                        where + ": a box has a number that is not an integer",
                        e);
            }
        }
        return boxes;
    }

    private static boolean allInts(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : blankToNull(value.asText());
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
