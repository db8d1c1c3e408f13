package dev.sett.kafka;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store conformance tests ({@link AbstractKeyValueStoreTest}, 34 tests from
 * the kafka-streams test jar) run against a Sett store, wrapped as Kafka wraps every store (the
 * metered layer, with serdes).
 */
class SettKeyValueStoreConformanceTest extends AbstractKeyValueStoreTest {
  @Override
  @SuppressWarnings("unchecked")
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(
        SettStores.persistentKeyValueStore("my-store"), (Serde<K>) context.keySerde(), (Serde<V>) context.valueSerde());
    KeyValueStore<K, V> store = builder.build();
    store.init(context, store);
    return store;
  }
}
