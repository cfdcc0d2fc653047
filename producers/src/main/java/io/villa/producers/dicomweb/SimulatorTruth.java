package io.villa.producers.dicomweb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.records.Box;
import io.villa.records.RegionTruth;
import io.villa.records.Split;

/**
 * The hospital simulator's ground truth, read from ImageComments (0020,4000) only with {@code --simulator-truth}:
 * {@value #PREFIX} followed by {@code {"split":"TRAIN","regions":[{"x":0,"y":0,"width":8,"height":8}],
 * "groundTruth":[{"regionIndex":0,"attributes":["..."]}]}}. Synthetic data only: a real PACS never carries it.
 * Regions are in pixels of the stored image and are checked against its size.
 */
public record SimulatorTruth(Split split, List<Box> regions, List<RegionTruth> groundTruth) {

    public static final String PREFIX = "villa-simulator-truth:";
    /** ImageComments is an LT of at most 10,240 characters. */
    static final int MAX_CHARS = 10_240;
    static final int MAX_REGIONS = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return null when the comments do not start with the prefix */
    public static SimulatorTruth parse(String comments, int width, int height) throws InstanceRejected {
        if (comments == null || !comments.startsWith(PREFIX)) {
            return null;
        }
        if (comments.length() > MAX_CHARS) {
            throw bad("longer than " + MAX_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(comments.substring(PREFIX.length()));
        } catch (IOException e) {
            throw bad("not JSON after the prefix");
        }
        if (root == null || !root.isObject()) {
            throw bad("not a JSON object after the prefix");
        }
        Split split = null;
        JsonNode splitNode = root.get("split");
        if (splitNode != null && !splitNode.isNull()) {
            try {
                split = Split.valueOf(splitNode.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("split is not TRAIN, VAL or TEST");
            }
        }
        List<Box> regions = new ArrayList<>();
        JsonNode regionNodes = array(root, "regions");
        if (regionNodes.size() > MAX_REGIONS) {
            throw bad("more than " + MAX_REGIONS + " regions");
        }
        for (JsonNode node : regionNodes) {
            int x = integer(node, "x");
            int y = integer(node, "y");
            int w = integer(node, "width");
            int h = integer(node, "height");
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > width || (long) y + h > height) {
                throw bad(String.format(Locale.ROOT, "region %d is not inside the %dx%d image", regions.size(), width, height));
            }
            regions.add(new Box(x, y, w, h));
        }
        List<RegionTruth> truth = null;
        JsonNode truthNodes = root.get("groundTruth");
        if (truthNodes != null && !truthNodes.isNull()) {
            truth = new ArrayList<>();
            for (JsonNode node : array(root, "groundTruth")) {
                int index = integer(node, "regionIndex");
                if (index < 0 || index >= regions.size()) {
                    throw bad("groundTruth names region " + index + " of " + regions.size());
                }
                List<String> attributes = new ArrayList<>();
                for (JsonNode attribute : array(node, "attributes")) {
                    if (!attribute.isTextual()) {
                        throw bad("an attribute is not a string");
                    }
                    attributes.add(attribute.asText());
                }
                truth.add(new RegionTruth(index, attributes));
            }
        }
        return new SimulatorTruth(split, regions, truth);
    }

    private static JsonNode array(JsonNode parent, String field) throws InstanceRejected {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return JSON.createArrayNode();
        }
        if (!node.isArray()) {
            throw bad(field + " is not an array");
        }
        return node;
    }

    private static int integer(JsonNode parent, String field) throws InstanceRejected {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw bad(field + " is missing or not an integer");
        }
        return node.asInt();
    }

    private static InstanceRejected bad(String why) {
        return new InstanceRejected(InstanceRejected.Reason.BAD_SIMULATOR_TRUTH, "ImageComments simulator truth: " + why);
    }
}
