package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The replay buffer's batches depend on which images a window holds, not on the order they arrived in. */
class ReplayBufferTest {

    private static final int REPLAY = 64;

    @Test
    void theSameImagesInAnotherOrderGiveTheSameBatches() {
        List<MappingExample> images = images(40, 1);
        List<MappingExample> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(7));
        ReplayBuffer a = filled(images);
        ReplayBuffer b = filled(shuffled);
        for (long step = 0; step < 20; step++) {
            assertThat(signatures(a.sample(a.end(), 16, new SplittableRandom(step))))
                    .isEqualTo(signatures(b.sample(b.end(), 16, new SplittableRandom(step))));
        }
    }

    @Test
    void windowsThatDifferByOneImageGiveBatchesThatDifferByAtMostThatImage() {
        List<MappingExample> images = images(41, 2);
        ReplayBuffer withLast = filled(images);
        List<MappingExample> swapped = new ArrayList<>(images.subList(0, 39));
        swapped.add(images.get(40)); // the 40th image arrives after the 41st: the windows of 40 differ by one
        swapped.add(images.get(39));
        ReplayBuffer other = filled(swapped);
        for (long step = 0; step < 20; step++) {
            List<String> x = signatures(withLast.sample(40, 16, new SplittableRandom(step)));
            List<String> y = signatures(other.sample(40, 16, new SplittableRandom(step)));
            List<String> common = new ArrayList<>(x);
            common.retainAll(y);
            assertThat(common).hasSizeGreaterThanOrEqualTo(15);
        }
    }

    @Test
    void aBatchHoldsDistinctImagesOfItsWindowAndStepsDrawDifferentBatches() {
        ReplayBuffer buffer = filled(images(40, 3));
        List<String> first = signatures(buffer.sample(30, 16, new SplittableRandom(1)));
        assertThat(first).doesNotHaveDuplicates().hasSize(16);
        List<String> window = signatures(buffer.images().subList(0, 30).stream().map(ReplayEntry::example).toList());
        assertThat(window).containsAll(first);
        assertThat(signatures(buffer.sample(30, 16, new SplittableRandom(2)))).isNotEqualTo(first);
        assertThat(buffer.sample(30, 64, new SplittableRandom(1))).as("at most the window").hasSize(30);
    }

    @Test
    void aRestoredBufferDrawsWhatTheOriginalDraws() {
        ReplayBuffer original = filled(images(40, 4));
        original.trimBefore(original.end() + 10);
        ReplayBuffer restored = new ReplayBuffer(REPLAY, original.first(), original.images());
        assertThat(signatures(restored.sample(restored.end(), 16, new SplittableRandom(9))))
                .isEqualTo(signatures(original.sample(original.end(), 16, new SplittableRandom(9))));
    }

    private static ReplayBuffer filled(List<MappingExample> images) {
        ReplayBuffer buffer = new ReplayBuffer(REPLAY);
        images.forEach(buffer::add);
        return buffer;
    }

    /** Distinct images: 2 regions of 3x2x2 random bytes, one or two attributes. */
    private static List<MappingExample> images(int n, long seed) {
        Random random = new Random(seed);
        List<MappingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<byte[]> regions = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                byte[] pixels = new byte[12];
                random.nextBytes(pixels);
                regions.add(pixels);
            }
            out.add(new MappingExample(regions, new int[] {i % 7, 7 + i % 5}, List.of(new int[0], new int[0])));
        }
        return out;
    }

    private static List<String> signatures(List<MappingExample> batch) {
        List<String> out = new ArrayList<>();
        for (MappingExample e : batch) {
            StringBuilder sb = new StringBuilder();
            e.regionPixels().forEach(p -> sb.append(java.util.Arrays.toString(p)));
            out.add(sb.append(java.util.Arrays.toString(e.attributes())).toString());
        }
        return out;
    }
}
