package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The long-running trainer's configuration: each bad value is refused with its field's name and the value. */
class ServiceConfigTest {

    @Test
    void defaultsPass() {
        ServiceConfig config = ServiceConfig.defaults("pairs");
        assertThat(config.topic()).isEqualTo("pairs");
        assertThat(config.checkpointEvery()).isEqualTo(200);
        assertThat(config.maxPairWait()).isEqualTo(ServiceConfig.DEFAULT_MAX_PAIR_WAIT);
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() ->
                        ServiceConfig.builder("pairs").optCheckpointing(0, 3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpointEvery must be >= 1, got 0");
        assertThatThrownBy(() ->
                        ServiceConfig.builder("pairs").optCheckpointing(10, 0).build())
                .hasMessage("keepLast must be >= 1, got 0");
        assertThatThrownBy(
                        () -> ServiceConfig.builder("pairs").optStopAfter(-1, 0).build())
                .hasMessage("maxSteps must be >= 0, got -1");
        assertThatThrownBy(() -> ServiceConfig.builder("pairs")
                        .optPartitionRefreshMillis(50)
                        .build())
                .hasMessage("partitionRefreshMillis must be >= 100, got 50");
        assertThatThrownBy(
                        () -> ServiceConfig.builder("pairs").optMaxPairWait(0).build())
                .hasMessage("maxPairWait must be >= 1, got 0");
        assertThatThrownBy(() ->
                        ServiceConfig.builder("pairs").optOnLostOffsets(null).build())
                .hasMessageStartingWith("onLostOffsets must be");
    }
}
