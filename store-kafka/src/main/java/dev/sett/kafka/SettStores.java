package dev.sett.kafka;

import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factories for Sett state stores, the counterparts of Kafka's {@code Stores.persistent*}: pass the
 * supplier to {@code Stores.keyValueStoreBuilder}, {@code Stores.timestampedKeyValueStoreBuilder}
 * or {@code Materialized.as}. To switch a whole DSL topology to Sett, set
 * {@code dsl.store.suppliers.class} to {@link SettDslStoreSuppliers} instead.
 *
 * <p>Each store is a Sett store in the task's state directory under {@code sett/<name>}, written
 * with {@link SyncMode#NONE} and forced to disk by each Kafka Streams commit, atomically with the
 * changelog offsets it covers. The Sett JVM flags (README, "JVM flags") are needed, as for any use
 * of Sett.
 *
 * <p>Stateless and thread-safe.
 */
public final class SettStores {
  private SettStores() {
  }

  /**
   * The options stores get unless given others: Sett's defaults, without a sync per write, and with
   * 16 MiB segments instead of 64. A Sett store keeps up to two segments' worth of space allocated
   * ahead of its data (the active segment's unwritten tail and the prepared next segment, both
   * really allocated so that a full disk fails a roll, not a write into the mapping); an application
   * holds a store per partition, so with 64 MiB segments that slack alone was 128 MiB a store.
   */
  static StoreOptions defaultOptions() {
    return StoreOptions.builder().syncMode(SyncMode.NONE).segmentSize(KAFKA_SEGMENT_SIZE).build();
  }

  /** Segment size of the stores made with the default options. */
  static final int KAFKA_SEGMENT_SIZE = 16 << 20;

  /**
   * A persistent key-value store supplier: plain values.
   *
   * @param name the store's name, also its directory's
   * @return a supplier of Sett stores
   */
  public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
    return new SettKeyValueBytesStoreSupplier(name, StoreFormat.PLAIN, defaultOptions());
  }

  /**
   * A persistent key-value store supplier with Sett options of the caller's (segment size,
   * compaction, checksums). The sync mode is the caller's too; Kafka Streams' commits force the
   * store whatever it is.
   *
   * @param name the store's name, also its directory's
   * @param options how each store is opened ({@code readOnly} is not supported here)
   * @return a supplier of Sett stores
   */
  public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name, StoreOptions options) {
    return new SettKeyValueBytesStoreSupplier(name, StoreFormat.PLAIN, checked(options));
  }

  /**
   * A persistent key-value store supplier whose values carry Kafka's timestamp (what the DSL's
   * {@code KTable} and aggregations use).
   *
   * @param name the store's name, also its directory's
   * @return a supplier of Sett stores that implement {@code TimestampedBytesStore}
   */
  public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name) {
    return new SettKeyValueBytesStoreSupplier(name, StoreFormat.TIMESTAMPED, defaultOptions());
  }

  /**
   * As {@link #persistentTimestampedKeyValueStore(String)}, with Sett options of the caller's.
   *
   * @param name the store's name, also its directory's
   * @param options how each store is opened
   * @return a supplier of Sett stores that implement {@code TimestampedBytesStore}
   */
  public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name, StoreOptions options) {
    return new SettKeyValueBytesStoreSupplier(name, StoreFormat.TIMESTAMPED, checked(options));
  }

  /**
   * A persistent key-value store supplier whose values carry record headers and Kafka's timestamp.
   *
   * @param name the store's name, also its directory's
   * @return a supplier of Sett stores that implement {@code HeadersBytesStore}
   */
  public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStoreWithHeaders(String name) {
    return new SettKeyValueBytesStoreSupplier(name, StoreFormat.HEADERS, defaultOptions());
  }

  private static StoreOptions checked(StoreOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options cannot be null; use SettStores.persistentKeyValueStore(name)"
          + " for Sett's defaults");
    }
    if (options.readOnly()) {
      throw new IllegalArgumentException("a Kafka Streams state store is written by its task: readOnly(true) options"
          + " cannot be used for one");
    }
    return options;
  }
}
