package dev.sett.kafka;

import java.util.Locale;

/**
 * What a Kafka store's values hold, which Kafka Streams reads from the marker interfaces a store
 * implements: plain values, values behind Kafka's 8-byte timestamp
 * ({@link org.apache.kafka.streams.state.TimestampedBytesStore}), or behind headers and timestamp
 * ({@link org.apache.kafka.streams.state.HeadersBytesStore}). A store keeps the one it was written
 * in ({@link StoreMeta}); Sett does not convert values between them.
 *
 * <p>Immutable.
 */
enum StoreFormat {
  PLAIN,
  TIMESTAMPED,
  HEADERS;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static StoreFormat named(String label) {
    for (StoreFormat f : values()) {
      if (f.label().equals(label)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown store format '" + label + "'");
  }
}
