package io.villa.producers.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.deid.Pseudonyms;

class FeedPositionTest {

    private static final Pseudonyms KEYS = Pseudonyms.withKey("k".repeat(32).getBytes(StandardCharsets.UTF_8));

    @Test
    void changedShardsRoundTripAndOnlyTheyAreWritten() {
        FeedPosition position = new FeedPosition();
        for (int i = 0; i < 1000; i++) {
            assertThat(position.add(KEYS.of("instance", "1.2." + i))).isTrue();
        }
        assertThat(position.add(KEYS.of("instance", "1.2.5"))).isFalse();
        assertThat(position.size()).isEqualTo(1000);
        Map<String, byte[]> changes = position.takeChanges();
        assertThat(changes).hasSizeGreaterThan(200).hasSizeLessThanOrEqualTo(FeedPosition.SHARDS);
        assertThat(position.hasChanges()).isFalse();

        FeedPosition reloaded = new FeedPosition();
        changes.forEach(reloaded::load);
        assertThat(reloaded.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(reloaded.contains(KEYS.of("instance", "1.2." + i))).isTrue();
        }
        assertThat(reloaded.contains(KEYS.of("instance", "1.3.0"))).isFalse();

        String next = KEYS.of("instance", "9.9");
        reloaded.add(next);
        assertThat(reloaded.takeChanges()).containsOnlyKeys(next.substring(0, 2));
    }

    @Test
    void hostileRecordsAndKeysAreRefused() {
        FeedPosition position = new FeedPosition();
        assertThatThrownBy(() -> position.add("not-hex")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> position.load("zz", new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> position.load("00", new byte[3])).isInstanceOf(IllegalArgumentException.class);
        byte[] lying = FeedPosition.encode(java.util.Set.of(1L, 2L));
        lying[7] = 100; // count says 100, two entries follow
        assertThatThrownBy(() -> position.load("00", lying)).hasMessageContaining("does not match");
        byte[] badMagic = FeedPosition.encode(java.util.Set.of());
        badMagic[0] = 0;
        assertThatThrownBy(() -> position.load("00", badMagic)).hasMessageContaining("magic");
    }
}
