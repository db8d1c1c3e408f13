package dev.sett.kafka;

import dev.sett.api.StoreOptions;
import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * A {@link SettKeyValueStore} whose values carry Kafka's 8-byte timestamp before the payload, as the
 * DSL's timestamped stores expect: the marker interface tells Kafka Streams so, and it then wraps
 * no adapter around the store. Lifetime and threading as {@link SettKeyValueStore}.
 */
final class SettTimestampedKeyValueStore extends SettKeyValueStore implements TimestampedBytesStore {
  SettTimestampedKeyValueStore(String name, StoreOptions options) {
    super(name, StoreFormat.TIMESTAMPED, options);
  }
}
