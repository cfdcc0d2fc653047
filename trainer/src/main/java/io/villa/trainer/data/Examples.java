package io.villa.trainer.data;

import java.util.ArrayList;
import java.util.List;

import io.villa.records.RegionAttributePair;

/** Examples from records held in memory (tests, benchmarks, villa eval), decoded and joined as the trainer does. */
public final class Examples {

    private Examples() {
    }

    /**
     * @param records in the order the decomposition job writes them (each pair's regions, then its whole image)
     * @throws IllegalArgumentException naming the first record that cannot become an example
     */
    public static List<Example> fromRecords(List<RegionAttributePair> records, ExampleDecoder decoder) {
        PairAssembler<String> assembler = new PairAssembler<>(Math.max(1, records.size()));
        List<PairAssembler.Output<String>> outputs = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            outputs.addAll(assembler.add("memory", i, decoder.decode(records.get(i))));
        }
        outputs.addAll(assembler.drain());
        List<Example> out = new ArrayList<>();
        for (PairAssembler.Output<String> o : outputs) {
            if (o instanceof PairAssembler.Failed<String> f) {
                throw new IllegalArgumentException(f.reason());
            }
            out.add(((PairAssembler.Ready<String>) o).example());
        }
        return out;
    }
}
