package dev.sett.kafka;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store conformance tests ({@link AbstractKeyValueStoreTest}, 34 tests from
 * the kafka-streams test jar) run against a Sett store, wrapped as Kafka wraps every store (the
 * metered layer, with serdes).
 */
class SettKeyValueStoreConformanceTest extends AbstractKeyValueStoreTest {
  @Override
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    return ConformanceStores.open(SettStores.persistentKeyValueStore("my-store"), context, b -> b);
  }
}
