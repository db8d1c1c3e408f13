package dev.sett.kafka;

import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Builds a store for Kafka's conformance tests the way Kafka wraps every store: metered, with the test's serdes. */
final class ConformanceStores {
  private ConformanceStores() {
  }

  /** The store of {@code supplier} with the layers {@code layers} adds (cache, changelog), initialised in {@code context}. */
  @SuppressWarnings("unchecked")
  static <K, V> KeyValueStore<K, V> open(KeyValueBytesStoreSupplier supplier, StateStoreContext context,
      UnaryOperator<StoreBuilder<KeyValueStore<K, V>>> layers) {
    StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(supplier,
        (Serde<K>) context.keySerde(), (Serde<V>) context.valueSerde());
    KeyValueStore<K, V> store = layers.apply(builder).build();
    store.init(context, store);
    return store;
  }
}
