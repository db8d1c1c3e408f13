package dev.sett.core;

import dev.sett.api.BackgroundTaskStats;
import dev.sett.api.StoreException;
import dev.sett.api.StoreMXBean;
import dev.sett.api.StoreStats;

/**
 * The {@link StoreMXBean} of one open store: its attributes come from {@link dev.sett.api.Store#stats()},
 * taken at most once per {@link #MAX_AGE_NANOS} so that a JMX client reading every attribute costs
 * the store one call and sees one consistent set.
 *
 * <p>Lives from the store's open to its close ({@link StoreJmx} registers and unregisters it).
 * Thread-safe: JMX calls it from any thread.
 */
final class StoreMBean implements StoreMXBean {
  static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final dev.sett.api.Store store;
  private StoreStats cached;
  private long cachedAt;

  StoreMBean(dev.sett.api.Store store) {
    this.store = store;
  }

  private synchronized StoreStats stats() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt >= MAX_AGE_NANOS) {
      try {
        cached = store.stats();
      } catch (StoreException e) {
        // A JMX client need not have Sett's classes to deserialize the exception; say it plainly.
        throw new IllegalStateException(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      cachedAt = now;
    }
    return cached;
  }

  @Override
  public String getDirectory() {
    return store.directory().toString();
  }

  @Override
  public boolean isReadOnly() {
    return store.options().readOnly();
  }

  @Override
  public int getSegmentCount() {
    return stats().segmentCount();
  }

  @Override
  public long getDiskBytes() {
    return stats().diskBytes();
  }

  @Override
  public long getDataBytes() {
    return stats().dataBytes();
  }

  @Override
  public long getLiveKeys() {
    return stats().liveKeys();
  }

  @Override
  public long getLiveBytes() {
    return stats().liveBytes();
  }

  @Override
  public long getDeadBytes() {
    return stats().deadBytes();
  }

  @Override
  public long getTombstoneBytes() {
    return stats().tombstoneBytes();
  }

  @Override
  public long getLastSequence() {
    return stats().lastSequence();
  }

  @Override
  public long getIndexBytes() {
    return stats().indexBytes();
  }

  @Override
  public int getOpenSnapshots() {
    return stats().openSnapshots();
  }

  @Override
  public long getCompactionsRun() {
    return stats().compactionsRun();
  }

  @Override
  public long getBytesReclaimed() {
    return stats().bytesReclaimed();
  }

  @Override
  public long getCompactionNanos() {
    return stats().compactionNanos();
  }

  @Override
  public long getRetainedBytes() {
    return stats().retainedBytes();
  }

  @Override
  public double getSpaceAmplification() {
    return stats().spaceAmplification();
  }

  @Override
  public boolean isBackgroundTasksHealthy() {
    return getBackgroundTaskFailures() == 0;
  }

  @Override
  public long getBackgroundTaskFailures() {
    long failures = 0;
    for (BackgroundTaskStats t : stats().backgroundTasks()) {
      failures += t.failures();
    }
    return failures;
  }

  @Override
  public String[] getBackgroundTasks() {
    return stats().backgroundTasks().stream()
        .map(t -> t.name() + ": " + (t.running() ? "running" : "not running") + ", " + t.failures() + " failures"
            + (t.lastFailure() == null ? "" : ", last: " + t.lastFailure()))
        .toArray(String[]::new);
  }
}
