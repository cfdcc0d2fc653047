package io.villa.producers.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void pacesToTheRate() {
        RateLimiter limiter = new RateLimiter(200);
        long start = System.nanoTime();
        for (int i = 0; i < 41; i++) {
            limiter.acquire();
        }
        // 40 intervals of 5 ms: never faster than the rate (a lower bound only; slow machines pass too)
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(195.0);
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter limiter = new RateLimiter(0);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire();
        }
        assertThat((System.nanoTime() - start) / 1e6).isLessThan(1000.0);
    }
}
