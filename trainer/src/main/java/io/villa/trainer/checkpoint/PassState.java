package io.villa.trainer.checkpoint;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.villa.trainer.train.EarlyStopping;

/**
 * Where a bounded replay stands (passes over the same records, early stopping); a streaming trainer stays in pass 1.
 *
 * @param pass     the pass being trained, from 1
 * @param start    "topic:partition" -> the offset every pass starts from
 * @param end      "topic:partition" -> the offset every pass ends at: fixed when pass 1 ended (empty before)
 * @param early    early stopping so far
 * @param finished every pass done, or stopped early: nothing more to train
 */
public record PassState(int pass, Map<String, Long> start, Map<String, Long> end, EarlyStopping.State early, boolean finished) {

    public PassState {
        start = Map.copyOf(start);
        end = Map.copyOf(end);
    }

    public static PassState initial() {
        return new PassState(1, Map.of(), Map.of(), EarlyStopping.State.none(), false);
    }

    void write(Properties p) {
        p.setProperty("pass", Integer.toString(pass));
        start.forEach((k, v) -> p.setProperty("pass.start." + k, Long.toString(v)));
        end.forEach((k, v) -> p.setProperty("pass.end." + k, Long.toString(v)));
        p.setProperty("pass.bestPass", Integer.toString(early.bestPass()));
        p.setProperty("pass.best", Double.toString(early.best()));
        p.setProperty("pass.sinceBest", Integer.toString(early.sinceBest()));
        p.setProperty("pass.finished", Boolean.toString(finished));
    }

    static PassState read(Properties p) {
        if (p.getProperty("pass") == null) {
            return initial(); // written before passes existed
        }
        Map<String, Long> start = new TreeMap<>();
        Map<String, Long> end = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("pass.start.")) {
                start.put(key.substring("pass.start.".length()), Long.parseLong(p.getProperty(key)));
            } else if (key.startsWith("pass.end.")) {
                end.put(key.substring("pass.end.".length()), Long.parseLong(p.getProperty(key)));
            }
        }
        EarlyStopping.State early = new EarlyStopping.State(Integer.parseInt(p.getProperty("pass.bestPass", "0")),
                Double.parseDouble(p.getProperty("pass.best", "NaN")), Integer.parseInt(p.getProperty("pass.sinceBest", "0")));
        return new PassState(Integer.parseInt(p.getProperty("pass")), start, end, early,
                Boolean.parseBoolean(p.getProperty("pass.finished", "false")));
    }
}
