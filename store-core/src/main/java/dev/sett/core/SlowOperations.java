package dev.sett.core;

import dev.sett.api.StoreOptions;

/**
 * Times a store's calls for {@code dev.sett.SlowOperation} JFR events, but only while a recording
 * enables that event: otherwise {@link #start()} is a check or two ({@link Jfr#mayRecord}, then the
 * event's setting) and returns null, and
 * {@link #end} returns at once, so a call pays no clock read and no allocation.
 *
 * <p>Used by {@link SettStore}'s point calls (put, delete, conditional writes, batch writes, get,
 * read, contains). Scans are not timed: a cursor lives as long as the application iterates it, so
 * its duration measures the caller as much as the store. A call that throws is not recorded.
 *
 * <p>Immutable and thread-safe; each event it starts belongs to the calling thread.
 */
final class SlowOperations {
  private final String store;
  private final long thresholdNanos;

  SlowOperations(String store, StoreOptions options) {
    this.store = store;
    this.thresholdNanos = options.slowOperationThreshold().toNanos();
  }

  /** An event begun now, or null if no recording enables slow-operation events. */
  SlowOperationEvent start() {
    if (!Jfr.mayRecord() || !SlowOperationEvent.PROBE.isEnabled()) {
      return null;
    }
    SlowOperationEvent event = new SlowOperationEvent();
    event.startNanos = System.nanoTime();
    event.begin();
    return event;
  }

  /** Commits {@code event} (from {@link #start()}) if {@code operation} took at least the threshold. */
  void end(SlowOperationEvent event, String operation) {
    if (event == null || System.nanoTime() - event.startNanos < thresholdNanos) {
      return;
    }
    event.end();
    event.store = store;
    event.operation = operation;
    event.commit();
  }
}
