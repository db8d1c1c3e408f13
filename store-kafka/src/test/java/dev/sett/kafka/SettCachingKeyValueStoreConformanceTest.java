package dev.sett.kafka;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/** Kafka's conformance tests against a Sett store behind Kafka's record cache. */
class SettCachingKeyValueStoreConformanceTest extends AbstractKeyValueStoreTest {
  @Override
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    return ConformanceStores.open(SettStores.persistentKeyValueStore("my-cached-store"), context, StoreBuilder::withCachingEnabled);
  }
}
