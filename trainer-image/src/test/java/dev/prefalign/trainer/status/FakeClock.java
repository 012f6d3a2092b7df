package dev.prefalign.trainer.status;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** Wall and monotonic time that move only when a test says so, together. */
final class FakeClock implements InstantSource {
    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private final AtomicLong nanos = new AtomicLong();

    void advanceSeconds(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanos.get());
    }

    TrainingStatus status() {
        return new TrainingStatus(this, this::nanoTime);
    }
}
