package dev.servmon.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time, so benchmarks can seed days of data in seconds ("compressed time"). */
final class SimClock extends Clock {
    private volatile long nowMs;

    SimClock(long startMs) {
        this.nowMs = startMs;
    }

    void set(long ms) {
        nowMs = ms;
    }

    @Override
    public long millis() {
        return nowMs;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(nowMs);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
