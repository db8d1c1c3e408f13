package dev.sett.kafka;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * The control: Kafka's conformance tests against Kafka's own in-memory store, in this module's
 * set-up (class path, logging). A test that fails here and for Sett is the set-up's fault, not
 * Sett's; every test must pass in both.
 */
class KafkaInMemoryStoreControlTest extends AbstractKeyValueStoreTest {
  @Override
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    return ConformanceStores.open(Stores.inMemoryKeyValueStore("control-store"), context, b -> b);
  }
}
