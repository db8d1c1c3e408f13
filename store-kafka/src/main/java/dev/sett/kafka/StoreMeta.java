package dev.sett.kafka;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.internals.PositionSerde;

/**
 * The records a Kafka store keeps about itself, beside the data and written in the same atomic
 * batches ({@link KeySpace#META} keys):
 *
 * <table>
 *   <caption>The store's own records</caption>
 *   <tr><th>name</th><th>value</th><th>written</th></tr>
 *   <tr><td>{@code layout}</td><td>1 byte: the version of this table, {@value #LAYOUT_VERSION}</td><td>by the
 *       first commit; an open of a store with a newer layout is refused</td></tr>
 *   <tr><td>{@code format}</td><td>UTF-8 name of the {@link StoreFormat} (plain, timestamped,
 *       headers)</td><td>by the first commit; an open in another format is refused</td></tr>
 *   <tr><td>{@code offset:<topic>-<partition>}</td><td>8 bytes, big-endian: the committed
 *       changelog offset of that partition</td><td>by each commit, with the data it covers</td></tr>
 *   <tr><td>{@code position}</td><td>Kafka's serialized {@link Position} (interactive queries'
 *       consistency vector)</td><td>by each commit</td></tr>
 *   <tr><td>{@code dirty}</td><td>1 byte: 1 if the store holds writes that no committed offset
 *       covers (written early because the pending writes grew too large), 0 otherwise</td><td>by
 *       such an early write (1) and by the next commit (0)</td></tr>
 * </table>
 *
 * <p>Kafka keys sit beside these under {@link KeySpace#DATA}, values as Kafka gives them. A store
 * that has never committed has none of these records and reads as layout {@value #LAYOUT_VERSION}.
 *
 * <p>Not thread-safe: used by the store's owner (the stream thread) and at open.
 */
final class StoreMeta {
  static final byte LAYOUT_VERSION = 1;
  static final String LAYOUT = "layout";
  static final String FORMAT = "format";
  static final String OFFSET_PREFIX = "offset:";
  static final String POSITION = "position";
  static final String DIRTY = "dirty";

  private final Map<TopicPartition, Long> offsets = new HashMap<>();
  private StoreFormat format;
  private boolean dirty;
  private int layout = -1;
  private Position position = Position.emptyPosition();

  /** Reads the records of {@code store}. */
  static StoreMeta read(Store store) {
    StoreMeta m = new StoreMeta();
    try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeySpace.metaPrefix(""))) {
      while (c.next()) {
        String name = KeySpace.metaName(c.key().toByteArray());
        ByteView v = c.value();
        if (name.equals(LAYOUT)) {
          m.layout = v.size() == 1 ? v.getByte(0) & 0xFF : Integer.MAX_VALUE;
        } else if (name.equals(FORMAT)) {
          m.format = StoreFormat.named(new String(v.toByteArray(), StandardCharsets.UTF_8));
        } else if (name.equals(DIRTY)) {
          m.dirty = v.size() == 1 && v.getByte(0) == 1;
        } else if (name.equals(POSITION)) {
          m.position = PositionSerde.deserialize(ByteBuffer.wrap(v.toByteArray()));
        } else if (name.startsWith(OFFSET_PREFIX)) {
          m.offsets.put(partition(name.substring(OFFSET_PREFIX.length())), v.getLong(0));
        }
      }
    }
    return m;
  }

  /** {@code topic-partition} as {@link TopicPartition#toString()} writes it (topics may hold '-'). */
  private static TopicPartition partition(String s) {
    int dash = s.lastIndexOf('-');
    return new TopicPartition(s.substring(0, dash), Integer.parseInt(s.substring(dash + 1)));
  }

  /** The layout version the store was written with: -1 if it never committed. */
  int layout() {
    return layout;
  }

  /** The format recorded by an earlier commit, or null for a new store. */
  StoreFormat format() {
    return format;
  }

  boolean dirty() {
    return dirty;
  }

  /** The position recorded by the last commit (empty for a new store). */
  Position position() {
    return position;
  }

  Long offset(TopicPartition partition) {
    return offsets.get(partition);
  }

  /**
   * Adds to {@code batch} what a commit of {@code changelogOffsets} writes (Kafka's rules: an empty
   * map removes every offset, a null value removes that partition's), and records it here as if
   * the batch were written; the caller writes it.
   */
  void commit(WriteBatch batch, Map<TopicPartition, Long> changelogOffsets, Position current, StoreFormat f) {
    if (changelogOffsets.isEmpty()) {
      for (TopicPartition tp : offsets.keySet()) {
        batch.delete(offsetKey(tp));
      }
      offsets.clear();
    }
    for (Map.Entry<TopicPartition, Long> e : changelogOffsets.entrySet()) {
      TopicPartition tp = Objects.requireNonNull(e.getKey(), "changelog partition");
      if (e.getValue() == null) {
        batch.delete(offsetKey(tp));
        offsets.remove(tp);
      } else {
        batch.put(offsetKey(tp), ByteBuffer.allocate(Long.BYTES).putLong(e.getValue()).array());
        offsets.put(tp, e.getValue());
      }
    }
    if (format == null) {
      batch.put(KeySpace.meta(LAYOUT), new byte[] {LAYOUT_VERSION});
      batch.put(KeySpace.meta(FORMAT), f.label().getBytes(StandardCharsets.UTF_8));
      format = f;
      layout = LAYOUT_VERSION;
    }
    batch.put(KeySpace.meta(POSITION), bytes(PositionSerde.serialize(current)));
    if (dirty) {
      batch.put(KeySpace.meta(DIRTY), new byte[] {0});
      dirty = false;
    }
  }

  /** Adds the "holds uncovered writes" mark to {@code batch} (an early write of pending data). */
  void markDirty(WriteBatch batch) {
    if (!dirty) {
      batch.put(KeySpace.meta(DIRTY), new byte[] {1});
      dirty = true;
    }
  }

  /** Whether a commit of {@code changelogOffsets} would change no offset record. */
  boolean sameOffsets(Map<TopicPartition, Long> changelogOffsets) {
    if (changelogOffsets.isEmpty()) {
      return offsets.isEmpty();
    }
    for (Map.Entry<TopicPartition, Long> e : changelogOffsets.entrySet()) {
      if (!Objects.equals(offsets.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static byte[] offsetKey(TopicPartition tp) {
    return KeySpace.meta(OFFSET_PREFIX + tp);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
