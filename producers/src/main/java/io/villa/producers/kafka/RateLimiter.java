package io.villa.producers.kafka;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Paces a loop to at most a given number of permits per second (0 = unlimited). Not thread-safe. */
final class RateLimiter {

    private final long intervalNanos;
    private long next;

    RateLimiter(double perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        this.intervalNanos = perSecond == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.next = System.nanoTime();
    }

    void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next > now) {
            LockSupport.parkNanos(next - now);
        } else if (now - next > TimeUnit.SECONDS.toNanos(1)) {
            next = now; // after a stall, do not burst to catch up more than one second's worth
        }
        next += intervalNanos;
    }
}
