package dev.sett.kafka;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/** Kafka's conformance tests against a Sett store behind Kafka's changelogging layer. */
class SettLoggedKeyValueStoreConformanceTest extends AbstractKeyValueStoreTest {
  @Override
  @SuppressWarnings("unchecked")
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(
        SettStores.persistentKeyValueStore("my-logged-store"), (Serde<K>) context.keySerde(),
        (Serde<V>) context.valueSerde()).withLoggingEnabled(Map.of());
    KeyValueStore<K, V> store = builder.build();
    store.init(context, store);
    return store;
  }
}
