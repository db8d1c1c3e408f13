package dev.sett.kafka;

import dev.sett.api.WriteBatch;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * The writes a Kafka store took since its last commit, held in memory so that a commit writes them
 * and the changelog offsets they lead up to as one atomic Sett batch: after a crash the store holds
 * exactly what its committed offsets say, which exactly-once processing needs (a store that wrote
 * each put through would hold writes of a transaction that was later aborted).
 *
 * <p>Reads look here before the store. A delete is kept as {@link #DELETED}, so that it hides the
 * key's committed value. Each generation is replaced, never cleared, when it is written: an
 * iterator opened before a commit keeps reading the generation and the store snapshot it started
 * with, which together still show what they showed.
 *
 * <p><b>Threading.</b> Written by the stream thread that owns the task; read from any thread
 * (interactive queries), since the map is concurrent. {@link #bytes} is an estimate kept by the
 * writer.
 */
final class PendingWrites {
  /** Marks a pending delete; compared by identity. */
  static final byte[] DELETED = new byte[0];
  /** Per entry beside key and value bytes: skip-list node, index levels, Bytes and array headers. */
  private static final int ENTRY_OVERHEAD = 96;

  private final ConcurrentSkipListMap<Bytes, byte[]> writes = new ConcurrentSkipListMap<>();
  private long bytes;
  private int puts;

  /** Records a put of {@code value}, or a delete if {@code value} is null. */
  void put(Bytes key, byte[] value) {
    byte[] stored = value == null ? DELETED : value;
    byte[] previous = writes.put(key, stored);
    if (previous == null) {
      bytes += ENTRY_OVERHEAD + key.get().length + stored.length;
    } else {
      bytes += stored.length - previous.length;
    }
    if (previous != null && previous != DELETED) {
      puts--;
    }
    if (stored != DELETED) {
      puts++;
    }
  }

  /** The pending value of {@code key}: null if none is pending, {@link #DELETED} for a delete. */
  byte[] get(Bytes key) {
    return writes.get(key);
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  /** Estimated heap bytes held. */
  long bytes() {
    return bytes;
  }

  /** Pending puts (not deletes). */
  int puts() {
    return puts;
  }

  /** The pending writes of keys in {@code [from, to]} (null: open), in key order; a live view. */
  NavigableMap<Bytes, byte[]> range(Bytes from, Bytes to) {
    if (from == null && to == null) {
      return writes;
    }
    if (from == null) {
      return writes.headMap(to, true);
    }
    if (to == null) {
      return writes.tailMap(from, true);
    }
    return writes.subMap(from, true, to, true);
  }

  /** The pending writes of keys that start with {@code prefix}, in key order; a live view. */
  NavigableMap<Bytes, byte[]> prefix(byte[] prefix) {
    byte[] end = prefix.clone();
    int i = end.length - 1;
    while (i >= 0 && end[i] == (byte) 0xFF) {
      i--;
    }
    if (i < 0) {
      return writes.tailMap(Bytes.wrap(prefix), true); // no key above every key of this prefix
    }
    end = java.util.Arrays.copyOf(end, i + 1);
    end[i]++;
    return writes.subMap(Bytes.wrap(prefix), true, Bytes.wrap(end), false);
  }

  /** Adds every pending write to {@code batch}, keys in their stored form. */
  void addTo(WriteBatch batch) {
    for (Map.Entry<Bytes, byte[]> e : writes.entrySet()) {
      byte[] key = KeySpace.data(e.getKey().get());
      if (e.getValue() == DELETED) {
        batch.delete(key);
      } else {
        // Values are Kafka's arrays, handed over with put (as Kafka's own in-memory store keeps
        // them), and the key is a fresh copy: neither changes before the batch is written.
        batch.putWithoutCopy(key, e.getValue());
      }
    }
  }
}
