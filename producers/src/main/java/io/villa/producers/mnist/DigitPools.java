package io.villa.producers.mnist;

import io.villa.records.Split;

/** The three digit pools of one DocMNIST run, one per split (see {@link MnistDigits#pools}). */
public record DigitPools(DigitPool train, DigitPool validation, DigitPool test) {

    public DigitPool pool(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> validation;
            case TEST -> test;
        };
    }
}
