package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class StepGateTest {

    @Test
    void decodingWaitsForTheStepToEndWhenPyTorchHasEveryCore() throws Exception {
        StepGate gate = StepGate.of(true, 0);
        assertThat(gate.active()).isTrue();
        gate.stepping(true);
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                gate.awaitBetweenSteps(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.nanoTime() - t0;
        });
        Thread.sleep(200);
        assertThat(waited).isNotDone();
        gate.stepping(false);
        assertThat(waited.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(150_000_000L);
    }

    @Test
    void openWhereACoreIsSpareOrOnAGpu() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(StepGate.of(false, 0).active()).as("GPU").isFalse();
        if (cores > 1) {
            assertThat(StepGate.of(true, cores - 1).active()).as("a spare core").isFalse();
        }
        StepGate open = StepGate.open();
        open.stepping(true);
        long t0 = System.nanoTime();
        open.awaitBetweenSteps(5_000);
        assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
    }
}
