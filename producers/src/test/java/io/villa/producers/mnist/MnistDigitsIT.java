package io.villa.producers.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;

/** The reference's MNIST split: a seeded shuffle of MNIST-train, 20% VAL, 80% TRAIN; MNIST-test as TEST. */
class MnistDigitsIT {

    @Test
    void poolsHaveTheReferenceSizesAndDoNotOverlap() {
        DigitPools pools = TestMnist.digits().pools(23);

        assertThat(pools.train().size()).isEqualTo(48_000);
        assertThat(pools.validation().size()).isEqualTo(12_000);
        assertThat(pools.test().size()).isEqualTo(10_000);
        Set<Integer> train = sources(pools.train());
        Set<Integer> validation = sources(pools.validation());
        assertThat(train).hasSize(48_000).doesNotContainAnyElementsOf(validation);
        assertThat(validation).hasSize(12_000);
        Set<Integer> all = new HashSet<>(train);
        all.addAll(validation);
        assertThat(all).as("together the whole of MNIST-train").hasSize(60_000).allMatch(i -> i >= 0 && i < 60_000);
        assertThat(sources(pools.test())).hasSize(10_000).allMatch(i -> i >= 0 && i < 10_000);
    }

    @Test
    void theSeedChoosesTheSplit() {
        DigitPools first = TestMnist.digits().pools(23);
        DigitPools again = TestMnist.digits().pools(23);
        DigitPools other = TestMnist.digits().pools(24);

        assertThat(sources(again.validation())).isEqualTo(sources(first.validation()));
        assertThat(again.train().sourceIndex(0)).isEqualTo(first.train().sourceIndex(0));
        assertThat(sources(other.validation())).isNotEqualTo(sources(first.validation()));
        // a shuffle, not a contiguous block: the validation digits come from all over MNIST-train
        Set<Integer> validation = sources(first.validation());
        assertThat(validation.stream().filter(i -> i < 30_000).count()).isBetween(5_500L, 6_500L);
    }

    @Test
    void labelsFollowTheSourceDigit() {
        byte[] labels = IdxReader.readLabels(MnistCache.resolve(null).ensure().resolve(MnistCache.TRAIN_LABELS));
        DigitPool validation = TestMnist.digits().pools(5).validation();
        for (int i = 0; i < validation.size(); i += 97) {
            assertThat(validation.label(i)).isEqualTo(labels[validation.sourceIndex(i)] & 0xFF);
        }
        double[] shares = validation.labelShares();
        assertThat(DoubleStream.of(shares).sum()).isCloseTo(1.0, offset(1e-9));
        assertThat(DoubleStream.of(shares).min().orElseThrow()).isGreaterThan(0.08);
        assertThat(DoubleStream.of(shares).max().orElseThrow()).isLessThan(0.12);
    }

    private static Set<Integer> sources(DigitPool pool) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < pool.size(); i++) {
            out.add(pool.sourceIndex(i));
        }
        return out;
    }
}
