package dev.sett.kafka;

import dev.sett.api.StoreOptions;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Supplies Sett key-value stores of one name and format: Kafka Streams calls {@link #get} once per
 * task (partition), and each store lives in that task's state directory. Immutable and
 * thread-safe.
 */
final class SettKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
  /** The metrics scope Kafka Streams files the store's metrics under. */
  static final String METRICS_SCOPE = "sett";

  private final String name;
  private final StoreFormat format;
  private final StoreOptions options;

  SettKeyValueBytesStoreSupplier(String name, StoreFormat format, StoreOptions options) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.format = format;
    this.options = Objects.requireNonNull(options, "options cannot be null");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public KeyValueStore<Bytes, byte[]> get() {
    switch (format) {
      case TIMESTAMPED:
        return new SettTimestampedKeyValueStore(name, options);
      case HEADERS:
        return new SettHeadersKeyValueStore(name, options);
      default:
        return new SettKeyValueStore(name, StoreFormat.PLAIN, options);
    }
  }

  @Override
  public String metricsScope() {
    return METRICS_SCOPE;
  }

  @Override
  public String toString() {
    return "SettKeyValueBytesStoreSupplier[" + name + ", " + format.label() + "]";
  }
}
