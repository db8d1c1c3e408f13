package dev.sett.kafka;

import dev.sett.api.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a Kafka store's keys sit in its Sett store. Kafka keys are arbitrary bytes, and the store
 * also keeps its own records (committed changelog offsets, the query position, its format and
 * whether it holds writes no offset covers) in the same store, so that a commit writes data and
 * offsets in one atomic batch. Every Kafka key is therefore stored behind the byte {@code 0x01}
 * and every record of the store's own behind {@code 0x00}: the two spaces cannot meet, and both
 * keep Kafka's unsigned lexicographic order.
 *
 * <p>Stateless.
 */
final class KeySpace {
  static final byte DATA = 0x01;
  static final byte META = 0x00;
  private static final KeyRange ALL_DATA = KeyRange.prefix(new byte[] {DATA});

  private KeySpace() {
  }

  /** The stored form of Kafka key {@code key}. */
  static byte[] data(byte[] key) {
    byte[] k = new byte[key.length + 1];
    k[0] = DATA;
    System.arraycopy(key, 0, k, 1, key.length);
    return k;
  }

  /** The stored key just after Kafka key {@code key}: an exclusive bound that includes {@code key}. */
  static byte[] dataAfter(byte[] key) {
    return Arrays.copyOf(data(key), key.length + 2);
  }

  /** The stored keys of the Kafka keys in {@code [from, to]}; either bound may be null (open). */
  static KeyRange dataRange(byte[] from, byte[] to) {
    if (from == null && to == null) {
      return ALL_DATA;
    }
    byte[] lower = from == null ? new byte[] {DATA} : data(from);
    byte[] upper = to == null ? new byte[] {DATA + 1} : dataAfter(to);
    return KeyRange.between(lower, upper);
  }

  /** Every stored key of Kafka keys that start with {@code prefix}. */
  static KeyRange dataPrefix(byte[] prefix) {
    return KeyRange.prefix(data(prefix));
  }

  /** The stored key of the store's own record {@code name}. */
  static byte[] meta(String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] k = new byte[n.length + 1];
    k[0] = META;
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  /** Every stored key of the store's own records whose names start with {@code prefix}. */
  static KeyRange metaPrefix(String prefix) {
    return KeyRange.prefix(meta(prefix));
  }

  /** The name of the store's own record stored under {@code key}. */
  static String metaName(byte[] key) {
    return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
  }
}
