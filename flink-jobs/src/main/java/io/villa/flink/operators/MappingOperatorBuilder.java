package io.villa.flink.operators;

import java.util.Objects;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.mapping.MappingConfig;

/**
 * What the mapping learner and the appliers are both built from: required, the model's configuration and the
 * attribute vocabulary; optional, the input limits and the attribute extractor (for pairs restored from a checkpoint
 * that predates the attributes kept on {@link PreparedPair}; default: the vocabulary with the shipped triggers).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class MappingOperatorBuilder<B extends MappingOperatorBuilder<B>> {

    MappingConfig config;
    AttributeVocabulary vocabulary;
    InputLimits limits = InputLimits.defaults();
    AttributeExtractor extractor;

    MappingOperatorBuilder() {
    }

    public B setConfig(MappingConfig config) {
        this.config = config;
        return self();
    }

    public B setVocabulary(AttributeVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        return self();
    }

    public B optLimits(InputLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    public B optExtractor(AttributeExtractor extractor) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        return self();
    }

    /** The extractor given, else the vocabulary's with the shipped triggers. */
    AttributeExtractor extractor() {
        return extractor != null ? extractor : new AttributeExtractor(vocabulary);
    }

    /** Throws, naming the field, when a required one was not set (before the operator is built). */
    void checkRequired() {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(vocabulary, "vocabulary");
    }

    abstract B self();
}
