package dev.sett.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The point-lookup index: an open-addressing (linear probing) hash table from key to the
 * {@link Position} of the key's newest record. Keys are not stored here; a lookup confirms a
 * candidate by comparing the key in the mapped record, so the index costs 16 bytes per slot (a
 * 64-bit position and the key's 32-bit hash, side by side) and allocates nothing per lookup.
 *
 * <p><b>Threading.</b> One writer (the store's write lock) mutates; any number of readers probe
 * without locks. A slot's hash is written before its position is published with release semantics,
 * and readers load the position with acquire semantics, so a reader that sees a position sees its
 * hash. Removed entries become {@link #DELETED} markers, never empty slots, so a concurrent probe
 * never stops early. Growing builds a new table and publishes it through a volatile field; readers
 * holding the old one see a consistent, slightly older state.
 */
final class HashIndex {
  static final long EMPTY = 0L;
  static final long DELETED = -1L;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final double MAX_LOAD = 0.6;

  /** Confirms that the record at a position holds a given key (writer side, no pin needed). */
  interface KeyMatcher {
    boolean matches(long position, byte[] key);
  }

  /**
   * One generation of the table; immutable in size, mutated in place by the writer. Slot {@code i}
   * keeps its position at {@code data[2i]} and, at {@code data[2i + 1]}, the key's hash in the low
   * 32 bits and in the high 32 bits the number of the key's records on disk (its versions, the
   * newest included: compaction may drop a tombstone only when it is the last one). The pair
   * shares a cache line, so a probe costs one cache miss, not two.
   */
  static final class Table {
    final long[] data;
    final int mask;

    Table(int capacity) {
      data = new long[capacity * 2];
      mask = capacity - 1;
    }

    int capacity() {
      return mask + 1;
    }

    long position(int slot) {
      return (long) SLOT.getAcquire(data, slot << 1);
    }

    /** Plain read of a slot's position: writer side only. */
    long positionPlain(int slot) {
      return data[slot << 1];
    }

    int hash(int slot) {
      return (int) data[(slot << 1) + 1];
    }

    int versions(int slot) {
      return (int) (data[(slot << 1) + 1] >>> 32);
    }

    private void setVersions(int slot, int versions) {
      int i = (slot << 1) + 1;
      data[i] = ((long) versions << 32) | (data[i] & 0xFFFF_FFFFL);
    }

    private void publish(int slot, long meta, long position) {
      data[(slot << 1) + 1] = meta;
      SLOT.setRelease(data, slot << 1, position);
    }

    private void setPosition(int slot, long position) {
      SLOT.setRelease(data, slot << 1, position);
    }
  }

  private volatile Table table;
  private int live;
  private int occupied;

  HashIndex(int expectedKeys) {
    table = new Table(capacityFor(Math.max(expectedKeys, 16)));
  }

  private static int capacityFor(long keys) {
    long needed = (long) Math.ceil(keys / MAX_LOAD) + 1;
    long cap = Long.highestOneBit(needed - 1) << 1;
    if (cap > (1 << 30)) {
      throw new IllegalStateException("index cannot hold " + keys + " keys");
    }
    return (int) Math.max(cap, 16);
  }

  /** The current table, for lock-free probing by readers. */
  Table table() {
    return table;
  }

  /** Number of keys indexed (tombstoned keys included). */
  int size() {
    return live;
  }

  /** Heap bytes held by the table. */
  long memoryBytes() {
    return 32L + 16L * table.capacity();
  }

  /**
   * Writer side: the slot holding {@code key}, or {@code -(empty slot) - 1} where the probe ended,
   * so that a caller inserting the key knows where.
   */
  private static int slotOf(Table t, byte[] key, int hash, KeyMatcher matcher) {
    for (int i = hash & t.mask;; i = (i + 1) & t.mask) {
      long p = t.positionPlain(i);
      if (p == EMPTY) {
        return -i - 1;
      }
      if (p != DELETED && t.hash(i) == hash && matcher.matches(p, key)) {
        return i;
      }
    }
  }

  /** Writer side: the slot whose position is exactly {@code expected}, or -1. */
  private static int slotAt(Table t, int hash, long expected) {
    for (int i = hash & t.mask;; i = (i + 1) & t.mask) {
      long p = t.positionPlain(i);
      if (p == EMPTY) {
        return -1;
      }
      if (p == expected) {
        return i;
      }
    }
  }

  /** Writer side: the position for {@code key}, or {@link Position#NONE}. */
  long find(byte[] key, int hash, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    return slot < 0 ? Position.NONE : t.positionPlain(slot);
  }

  /** Writer side: maps {@code key} to {@code position}; returns the position it replaced, or NONE. */
  long put(byte[] key, int hash, long position, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    if (slot >= 0) {
      long previous = t.positionPlain(slot);
      t.setVersions(slot, saturatedIncrement(t.versions(slot)));
      t.setPosition(slot, position);
      return previous;
    }
    insert(t, slot, key, hash, position, matcher);
    return Position.NONE;
  }

  /** Indexes a new key where {@link #slotOf} said its probe ended, growing the table first if due. */
  private void insert(Table t, int slot, byte[] key, int hash, long position, KeyMatcher matcher) {
    if (occupied + 1 > t.capacity() * MAX_LOAD) {
      grow();
      t = table;
      slot = slotOf(t, key, hash, matcher);
    }
    t.publish(-slot - 1, (1L << 32) | (hash & 0xFFFF_FFFFL), position);
    occupied++;
    live++;
  }

  /**
   * Writer side: the position of {@code key} if it is indexed (nothing changes then); otherwise
   * indexes it at {@code position} with one version and returns {@link Position#NONE}. One probe.
   */
  long findOrInsert(byte[] key, int hash, long position, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    if (slot >= 0) {
      return t.positionPlain(slot);
    }
    insert(t, slot, key, hash, position, matcher);
    return Position.NONE;
  }

  /**
   * Writer side: adds {@code delta} to the number of on-disk records of {@code key} (never below 1)
   * and returns the new number, or -1 if the key is not indexed.
   */
  int addVersions(byte[] key, int hash, int delta, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    if (slot < 0) {
      return -1;
    }
    int v = delta > 0 ? saturatedIncrement(t.versions(slot)) : Math.max(1, t.versions(slot) + delta);
    t.setVersions(slot, v);
    return v;
  }

  /** Writer side: the number of on-disk records of {@code key}, or 0 if it is not indexed. */
  int versions(byte[] key, int hash, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    return slot < 0 ? 0 : t.versions(slot);
  }

  /** Writer side: the version count of the entry whose position is exactly {@code position}, or 0. */
  int versionsAt(int hash, long position) {
    Table t = table;
    int slot = slotAt(t, hash, position);
    return slot < 0 ? 0 : t.versions(slot);
  }

  private static int saturatedIncrement(int v) {
    return v == Integer.MAX_VALUE ? v : v + 1;
  }

  /**
   * Writer side: replaces the entry whose position is {@code expected} by {@code replacement}, only
   * if the key still maps there (compaction's conditional swap). No key comparison is needed: a
   * position identifies one record.
   */
  boolean replace(int hash, long expected, long replacement) {
    Table t = table;
    int slot = slotAt(t, hash, expected);
    if (slot < 0) {
      return false;
    }
    t.setPosition(slot, replacement);
    return true;
  }

  /** Writer side: removes the entry whose position is {@code expected}; false if it moved on. */
  boolean remove(int hash, long expected) {
    Table t = table;
    int slot = slotAt(t, hash, expected);
    if (slot < 0) {
      return false;
    }
    t.setPosition(slot, DELETED);
    live--;
    return true;
  }

  /** Grows the table, if needed, to hold {@code keys} keys without growing again. */
  void reserve(long keys) {
    if (keys > (long) (table.capacity() * MAX_LOAD)) {
      rebuild(capacityFor(Math.min(keys, 600_000_000L)));
    }
  }

  private void grow() {
    rebuild(capacityFor(Math.max(live + 1L, (long) (table.capacity() * MAX_LOAD))));
  }

  private void rebuild(int capacity) {
    Table old = table;
    Table next = new Table(capacity);
    for (int i = 0; i < old.capacity(); i++) {
      long p = old.positionPlain(i);
      if (p != EMPTY && p != DELETED) {
        long meta = old.data[(i << 1) + 1];
        int j = (int) meta & next.mask;
        while (next.positionPlain(j) != EMPTY) {
          j = (j + 1) & next.mask;
        }
        next.publish(j, meta, p);
      }
    }
    occupied = live;
    table = next;
  }
}
