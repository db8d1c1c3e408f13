package dev.sett.micrometer;

import dev.sett.api.BackgroundTaskStats;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a store's {@link Store#stats()} to a Micrometer {@link MeterRegistry}: gauges for its
 * size ({@code sett.store.keys}, {@code sett.store.segments}, {@code sett.store.disk},
 * {@code sett.store.data}, {@code sett.store.live}, {@code sett.store.dead}, {@code sett.store.index},
 * {@code sett.store.retained}, {@code sett.store.snapshots.open}, {@code sett.store.sequence}) and
 * counters for what it did since it was opened ({@code sett.store.compactions},
 * {@code sett.store.compaction.reclaimed}, {@code sett.store.compaction.time},
 * {@code sett.store.background.failures} per task). Every meter carries a {@code store} tag (the
 * store's directory unless another name is given) and any tags passed in.
 *
 * <pre>{@code
 * new SettMetrics(store).bindTo(meterRegistry);   // or a @Bean of type MeterBinder in Spring Boot
 * }</pre>
 *
 * <p>One registry scrape reads many meters; they share one {@code stats()} call, taken at most once a
 * second, because each call briefly takes the store's write lock. From a second after the store
 * closes every meter reads NaN; remove them from the registry if the application opens the store
 * again.
 *
 * <p>Lifetime: as long as the registry holds the meters (they reference this binder strongly).
 * Thread-safe: a registry may read the meters from any thread.
 */
public final class SettMetrics implements MeterBinder {
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String[] TASKS = {"compaction", "sealer"};

  private final Store store;
  private final Tags tags;
  private StoreStats cached;
  private long cachedAt;

  /**
   * A binder for {@code store}, tagged {@code store=<its directory>}.
   *
   * @param store an open store
   */
  public SettMetrics(Store store) {
    this(store, String.valueOf(Objects.requireNonNull(store, "store").directory()), Tags.empty());
  }

  /**
   * A binder for {@code store}, tagged {@code store=<name>} and {@code tags}.
   *
   * @param store an open store
   * @param name  the {@code store} tag's value, for example a short name the dashboards know
   * @param tags  further tags for every meter
   */
  public SettMetrics(Store store, String name, Iterable<Tag> tags) {
    this.store = Objects.requireNonNull(store, "store");
    this.tags = Tags.concat(tags, "store", Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "sett.store.keys", "keys in the index", null, StoreStats::liveKeys);
    gauge(registry, "sett.store.segments", "segment files, including the active one", null, StoreStats::segmentCount);
    gauge(registry, "sett.store.disk", "bytes the segment files occupy", "bytes", StoreStats::diskBytes);
    gauge(registry, "sett.store.data", "bytes of records written into the segments", "bytes", StoreStats::dataBytes);
    gauge(registry, "sett.store.live", "bytes of the records that hold current values", "bytes", StoreStats::liveBytes);
    gauge(registry, "sett.store.dead", "bytes of records compaction may drop", "bytes", StoreStats::deadBytes);
    gauge(registry, "sett.store.index", "heap bytes held by the in-memory indexes (estimate)", "bytes",
        StoreStats::indexBytes);
    gauge(registry, "sett.store.retained", "bytes of files no longer part of the store that are still mapped",
        "bytes", StoreStats::retainedBytes);
    gauge(registry, "sett.store.snapshots.open", "snapshots not yet closed", null, StoreStats::openSnapshots);
    gauge(registry, "sett.store.sequence", "sequence number of the last write", null, StoreStats::lastSequence);

    counter(registry, "sett.store.compactions", "compactions that reclaimed at least one segment", null,
        StoreStats::compactionsRun);
    counter(registry, "sett.store.compaction.reclaimed", "bytes of segment files compaction retired", "bytes",
        StoreStats::bytesReclaimed);
    counter(registry, "sett.store.compaction.time", "time spent compacting", "seconds",
        s -> s.compactionNanos() / 1e9);
    for (String task : TASKS) {
      FunctionCounter.builder("sett.store.background.failures", this, m -> m.read(s -> failures(s, task)))
          .description("failures of a background task (compaction, sealer)")
          .tags(tags).tag("task", task)
          .register(registry);
    }
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<StoreStats> figure) {
    // Strong: a binder created and dropped in one line must keep reporting. Function counters hold
    // only a weak reference, so these gauges are what keeps this binder reachable for them too.
    Gauge.builder(name, this, m -> m.read(figure))
        .description(description).baseUnit(unit).tags(tags).strongReference(true)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<StoreStats> figure) {
    FunctionCounter.builder(name, this, m -> m.read(figure))
        .description(description).baseUnit(unit).tags(tags)
        .register(registry);
  }

  private static double failures(StoreStats stats, String task) {
    for (BackgroundTaskStats t : stats.backgroundTasks()) {
      if (t.name().equals(task)) {
        return t.failures();
      }
    }
    return 0;
  }

  /** {@code figure} of the current stats, or NaN once the store is closed. */
  private double read(ToDoubleFunction<StoreStats> figure) {
    StoreStats stats = stats();
    return stats == null ? Double.NaN : figure.applyAsDouble(stats);
  }

  private synchronized StoreStats stats() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt >= MAX_AGE_NANOS) {
      try {
        cached = store.stats();
      } catch (StoreClosedException e) {
        return null;
      }
      cachedAt = now;
    }
    return cached;
  }
}
