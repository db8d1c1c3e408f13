package dev.sett.kafka;

import dev.sett.api.StoreOptions;
import org.apache.kafka.streams.state.HeadersBytesStore;

/**
 * A {@link SettKeyValueStore} whose values carry record headers and a timestamp before the payload,
 * as the DSL's header-aware stores expect (the marker interface tells Kafka Streams so). Lifetime
 * and threading as {@link SettKeyValueStore}.
 */
final class SettHeadersKeyValueStore extends SettKeyValueStore implements HeadersBytesStore {
  SettHeadersKeyValueStore(String name, StoreOptions options) {
    super(name, StoreFormat.HEADERS, options);
  }
}
