package io.villa.producers.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesWithTheirDimensions() throws IOException {
        byte[] pixels = new byte[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 10);
        }
        Path file = write("images", header(0x803, 2, 3, 4), pixels);

        IdxReader.IdxImages images = IdxReader.readImages(file);

        assertThat(images.count()).isEqualTo(2);
        assertThat(images.rows()).isEqualTo(3);
        assertThat(images.columns()).isEqualTo(4);
        assertThat(images.pixels()).containsExactly(pixels);
    }

    @Test
    void readsLabels() throws IOException {
        Path file = write("labels", header(0x801, 3), new byte[] {7, 0, 9});

        assertThat(IdxReader.readLabels(file)).containsExactly(7, 0, 9);
    }

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        Path file = write("labels-as-images", header(0x801, 3), new byte[3]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void rejectsATruncatedBody() throws IOException {
        Path file = write("short", header(0x803, 2, 28, 28), new byte[28 * 28 + 5]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("1568")
                .hasMessageContaining("789");
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        Path file = write("header", Arrays.copyOf(header(0x803, 2, 28, 28), 9), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated IDX header");
    }

    @Test
    void rejectsANonPositiveDimension() throws IOException {
        Path file = write("zero", header(0x803, 1, 0, 28), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("rows is 0");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = write("long", header(0x801, 2), new byte[3]);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("1 unexpected bytes");
    }

    @Test
    void readsTheRealMnistFiles() {
        Path mnist = MnistCache.resolve(null).ensure();

        IdxReader.IdxImages train = IdxReader.readImages(mnist.resolve(MnistCache.TRAIN_IMAGES));
        byte[] trainLabels = IdxReader.readLabels(mnist.resolve(MnistCache.TRAIN_LABELS));
        IdxReader.IdxImages test = IdxReader.readImages(mnist.resolve(MnistCache.TEST_IMAGES));

        assertThat(train.count()).isEqualTo(60_000);
        assertThat(trainLabels).hasSize(60_000);
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(train.rows()).isEqualTo(28);
        // the well-known first training labels of MNIST: 5 0 4 1 9 2
        assertThat(Arrays.copyOf(trainLabels, 6)).containsExactly(5, 0, 4, 1, 9, 2);
    }

    private static byte[] header(int magic, int... dimensions) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length).putInt(magic);
        for (int d : dimensions) {
            buffer.putInt(d);
        }
        return buffer.array();
    }

    private Path write(String name, byte[] header, byte[] body) throws IOException {
        byte[] all = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return Files.write(dir.resolve(name), all);
    }
}
