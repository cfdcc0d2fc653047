package io.villa.flink.operators;

import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ProcessOperator;

import io.villa.flink.io.KeyedBytes;

/**
 * Runs the {@link MappingOperator} and tells it when a bounded input has ended (a plain ProcessFunction is never
 * told), so the pairs still waiting for the model's warm-up are decomposed or dead-lettered, never left behind.
 */
public final class MappingStreamOperator extends ProcessOperator<PreparedPair, KeyedBytes> implements BoundedOneInput {

    private static final long serialVersionUID = 1L;

    public MappingStreamOperator(MappingOperator function) {
        super(function);
    }

    @Override
    public void endInput() {
        ((MappingOperator) userFunction).endOfInput(MappingOutputs.of(output));
    }
}
