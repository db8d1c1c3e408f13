package dev.sett.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a fuzz target's executions, so that {@link ReliabilityScale#record} can state what a run
 * reached: seeds replayed in a plain build, or executions and executions per second when Jazzer
 * fuzzed ({@code JAZZER_FUZZ} set).
 */
final class FuzzFigures {
  private final String suite;
  private final AtomicLong executions = new AtomicLong();
  private volatile long firstNanos;
  private volatile long lastNanos;

  FuzzFigures(String suite) {
    this.suite = suite;
  }

  void count() {
    long now = System.nanoTime();
    if (executions.getAndIncrement() == 0) {
      firstNanos = now;
    }
    lastNanos = now;
  }

  void record() {
    long n = executions.get();
    String fuzzing = System.getenv("JAZZER_FUZZ");
    if (fuzzing == null || fuzzing.isEmpty()) {
      ReliabilityScale.record(suite, "corpus replay: " + n + " inputs");
      return;
    }
    double seconds = Math.max(1e-9, (lastNanos - firstNanos) / 1e9);
    ReliabilityScale.record(suite, String.format("fuzzing: %,d executions in %.0f s (%,.0f/s)",
        n, seconds, n / seconds));
  }
}
