package io.villa.producers.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MllpFramesTest {

    @Test
    void aFrameLimitAtTheMinimumIsTakenOneBelowIsRefusedByName() {
        assertThat(MllpFrames.checkMaxMessageBytes(64)).isEqualTo(64);
        assertThat(MllpFrames.checkMaxMessageBytes(MllpFrames.DEFAULT_MAX_MESSAGE_BYTES))
                .isEqualTo(1_000_000);
        assertThatThrownBy(() -> MllpFrames.checkMaxMessageBytes(63))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageBytes: 63 is below 64 bytes");
    }

    @Test
    void theListenerAndItsHandlerCheckTheLimitByTheSameRule() {
        assertThatThrownBy(() -> MllpListener.builder().optMaxMessageBytes(10))
                .hasMessage("maxMessageBytes: 10 is below 64 bytes");
        assertThatThrownBy(() -> Hl7ReportHandler.builder().optMaxMessageBytes(10))
                .hasMessage("maxMessageBytes: 10 is below 64 bytes");
    }

    @Test
    void aFrameOverTheLimitIsReadAsOversizedAndTheNextOneStillArrives() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MllpFrames.write(out, "x".repeat(70).getBytes(StandardCharsets.US_ASCII));
        MllpFrames.write(out, "MSH|ok".getBytes(StandardCharsets.US_ASCII));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

        MllpFrames.Frame big = MllpFrames.read(in, MllpFrames.checkMaxMessageBytes(64));
        MllpFrames.Frame next = MllpFrames.read(in, 64);

        assertThat(big.oversized()).isTrue();
        assertThat(big.length()).isEqualTo(70);
        assertThat(new String(next.data(), StandardCharsets.US_ASCII)).isEqualTo("MSH|ok");
        assertThat(MllpFrames.read(in, 64)).isNull();
    }
}
