package dev.sett.kafka;

import dev.sett.api.StoreStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * A Sett store's own figures in Kafka Streams' metrics registry, beside the put, get and range
 * latency sensors Kafka's metered layer records for every store: group
 * {@value #GROUP}, tags {@code thread-id}, {@code task-id} and {@code sett-state-id} (the store's
 * name), as RocksDB's store-level metrics carry {@code rocksdb-state-id}. Each is a gauge-like
 * {@link Value} recorded at every commit from {@link dev.sett.api.Store#stats()}.
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>{@code sett-live-keys}</td><td>keys in the Sett store (the store's own few records included)</td></tr>
 *   <tr><td>{@code sett-disk-bytes}</td><td>bytes of segment files on disk</td></tr>
 *   <tr><td>{@code sett-live-bytes}</td><td>bytes of records that are the newest of their key</td></tr>
 *   <tr><td>{@code sett-dead-bytes}</td><td>bytes compaction can reclaim</td></tr>
 *   <tr><td>{@code sett-index-bytes}</td><td>heap bytes of the in-memory index</td></tr>
 *   <tr><td>{@code sett-compactions}</td><td>compaction runs since the store was opened</td></tr>
 * </table>
 *
 * <p>Used by the stream thread that owns the store; {@link #close} removes the sensors.
 */
final class StoreMetrics {
  static final String GROUP = "stream-state-metrics";
  private static final Map<String, ToLongFunction<StoreStats>> FIGURES = new LinkedHashMap<>();

  static {
    FIGURES.put("sett-live-keys", StoreStats::liveKeys);
    FIGURES.put("sett-disk-bytes", StoreStats::diskBytes);
    FIGURES.put("sett-live-bytes", StoreStats::liveBytes);
    FIGURES.put("sett-dead-bytes", StoreStats::deadBytes);
    FIGURES.put("sett-index-bytes", StoreStats::indexBytes);
    FIGURES.put("sett-compactions", StoreStats::compactionsRun);
  }

  private final StreamsMetrics metrics;
  private final List<Sensor> sensors = new ArrayList<>();
  private final List<ToLongFunction<StoreStats>> readers = new ArrayList<>();

  StoreMetrics(StateStoreContext context, String storeName) {
    this.metrics = context.metrics();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("thread-id", Thread.currentThread().getName());
    tags.put("task-id", String.valueOf(context.taskId()));
    tags.put("sett-state-id", storeName);
    String prefix = "sett." + context.taskId() + "." + storeName + ".";
    for (Map.Entry<String, ToLongFunction<StoreStats>> f : FIGURES.entrySet()) {
      Sensor s = metrics.addSensor(prefix + f.getKey(), Sensor.RecordingLevel.INFO);
      s.add(new MetricName(f.getKey(), GROUP, "Sett " + f.getKey().substring(5).replace('-', ' ')
          + " of this state store", tags), new Value());
      sensors.add(s);
      readers.add(f.getValue());
    }
  }

  /** Records the current figures. */
  void record(StoreStats stats) {
    for (int i = 0; i < sensors.size(); i++) {
      sensors.get(i).record(readers.get(i).applyAsLong(stats));
    }
  }

  void close() {
    sensors.forEach(metrics::removeSensor);
    sensors.clear();
  }
}
