package io.villa.flink.operators;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;

/**
 * Where the mapping operator's records go: region-attribute pairs (main output), dead letters and quality events
 * (side outputs). One interface for both callers: {@code processElement}, which has a context and a collector,
 * and the end of a bounded input, which has only the operator's {@link Output}.
 */
interface MappingOutputs {

    void region(KeyedBytes record);

    void deadLetter(KeyedBytes letter);

    void event(KeyedBytes event);

    static MappingOutputs of(ProcessFunction<PreparedPair, KeyedBytes>.Context ctx, Collector<KeyedBytes> out) {
        return new MappingOutputs() {
            @Override
            public void region(KeyedBytes record) {
                out.collect(record);
            }

            @Override
            public void deadLetter(KeyedBytes letter) {
                ctx.output(DeadLetterOutput.TAG, letter);
            }

            @Override
            public void event(KeyedBytes event) {
                ctx.output(MappingOperator.QUALITY_EVENTS, event);
            }
        };
    }

    static MappingOutputs of(Output<StreamRecord<KeyedBytes>> output) {
        return new MappingOutputs() {
            @Override
            public void region(KeyedBytes record) {
                output.collect(new StreamRecord<>(record));
            }

            @Override
            public void deadLetter(KeyedBytes letter) {
                output.collect(DeadLetterOutput.TAG, new StreamRecord<>(letter));
            }

            @Override
            public void event(KeyedBytes event) {
                output.collect(MappingOperator.QUALITY_EVENTS, new StreamRecord<>(event));
            }
        };
    }
}
