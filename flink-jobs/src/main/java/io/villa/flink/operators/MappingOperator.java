package io.villa.flink.operators;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.mapping.MappingConfig;

/**
 * What the mapping learner and the appliers hold alike, taken from their {@link MappingOperatorBuilder}: the model's
 * configuration, the vocabulary, the attribute extractor and the input limits; and the one way they dead-letter a pair.
 *
 * @param <OUT> the operator's main output
 */
abstract class MappingOperator<OUT> extends AbstractStreamOperator<OUT> {

    private static final long serialVersionUID = 1L;

    final MappingConfig config;
    final AttributeVocabulary vocabulary;
    final AttributeExtractor extractor;
    final InputLimits limits;
    private final String stage;

    /** @param stage the dead-letter stage of the pairs this operator turns away */
    MappingOperator(MappingOperatorBuilder<?> b, String stage) {
        b.checkRequired();
        this.config = b.config;
        this.vocabulary = b.vocabulary;
        this.extractor = b.extractor();
        this.limits = b.limits;
        this.stage = stage;
    }

    /** Sends {@code pair} to the dead-letter output, logged under the operator's own name (see {@link PairDeadLetters}). */
    final void deadLetter(PreparedPair pair, Exception e) {
        output.collect(
                DeadLetterOutput.TAG,
                PairDeadLetters.of(LoggerFactory.getLogger(getClass()), stage, pair, e, limits.maxOutputRecordBytes()));
    }
}
