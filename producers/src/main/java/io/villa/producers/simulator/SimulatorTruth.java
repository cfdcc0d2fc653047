package io.villa.producers.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.producers.docmnist.DocMnistRegion;
import io.villa.producers.docmnist.DocMnistSample;

/**
 * The ground truth the simulator writes into DICOM ImageComments (0020,4000), in the one format both sides share:
 * {@value #PREFIX} followed by compact JSON {@code {"split":..,"regions":[{"x","y","width","height"}],
 * "groundTruth":[{"regionIndex","attributes"}]}}. Synthetic data only: the DICOMweb follower reads it with
 * {@code --simulator-truth}.
 */
public final class SimulatorTruth {

    public static final String PREFIX = "villa-simulator-truth:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulatorTruth() {}

    public static String comment(DocMnistSample sample) {
        List<Map<String, Object>> regions = new ArrayList<>();
        List<Map<String, Object>> truth = new ArrayList<>();
        for (int i = 0; i < sample.regions().size(); i++) {
            DocMnistRegion region = sample.regions().get(i);
            Map<String, Object> box = new LinkedHashMap<>();
            box.put("x", region.box().getX());
            box.put("y", region.box().getY());
            box.put("width", region.box().getWidth());
            box.put("height", region.box().getHeight());
            regions.add(box);
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("regionIndex", i);
            attributes.put("attributes", region.attributes());
            truth.add(attributes);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("split", sample.split().name());
        root.put("regions", regions);
        root.put("groundTruth", truth);
        try {
            return PREFIX + JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the simulator truth as JSON", e);
        }
    }
}
