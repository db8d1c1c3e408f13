package dev.sett.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test says so; thread-safe. */
final class TestClock implements InstantSource {
  private volatile long millis;

  TestClock(long startMillis) {
    this.millis = startMillis;
  }

  void advance(Duration d) {
    millis += d.toMillis();
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public String toString() {
    return "TestClock[" + millis + "]";
  }
}
