package dev.sett.kafka;

import java.util.Map;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Makes the DSL build its key-value stores with Sett: set
 * {@code dsl.store.suppliers.class=dev.sett.kafka.SettDslStoreSuppliers} in the Streams
 * configuration (or pass an instance to {@code Materialized.as(DslStoreSuppliers)} for one store).
 * Every key-value store (plain, timestamped, header-aware, as the operator asks) is then a Sett
 * store.
 *
 * <p>Window and session stores stay Kafka's RocksDB ones: Kafka builds those from time-segmented
 * RocksDB stores through internal classes, and Sett has no segmented store of its own yet.
 *
 * <p>Kafka Streams creates one instance through the public no-argument constructor and calls
 * {@link #configure}; thread-safe after that.
 */
public class SettDslStoreSuppliers implements DslStoreSuppliers {
  private final DslStoreSuppliers windowsAndSessions = new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();

  /** For Kafka Streams, which instantiates the class named by {@code dsl.store.suppliers.class}. */
  public SettDslStoreSuppliers() {
  }

  @Override
  public void configure(Map<String, ?> configs) {
    windowsAndSessions.configure(configs);
  }

  @Override
  public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
    switch (params.dslStoreFormat()) {
      case HEADERS:
        return SettStores.persistentTimestampedKeyValueStoreWithHeaders(params.name());
      case TIMESTAMPED:
        return SettStores.persistentTimestampedKeyValueStore(params.name());
      case PLAIN:
        return SettStores.persistentKeyValueStore(params.name());
      default:
        throw new IllegalArgumentException("Sett has no store for the DSL store format " + params.dslStoreFormat()
            + "; expected PLAIN, TIMESTAMPED or HEADERS");
    }
  }

  @Override
  public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
    return windowsAndSessions.windowStore(params);
  }

  @Override
  public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
    return windowsAndSessions.sessionStore(params);
  }
}
