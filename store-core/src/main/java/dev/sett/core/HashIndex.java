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
  /** Beyond this load the table grows: linear probing's probe lengths climb steeply past it. */
  private static final double MAX_LOAD = 0.6;
  /** The load a table is sized for, and a growth step (x1.5) lands on. */
  private static final double SIZED_LOAD = 0.5;
  private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / 2;

  /** Confirms that the record at a position holds a given key (writer side, no pin needed). */
  interface KeyMatcher {
    boolean matches(long position, byte[] key);
  }

  /**
   * One generation of the table; immutable in size, mutated in place by the writer. Slot {@code i}
   * keeps its position at {@code data[2i]} and, at {@code data[2i + 1]}, the key's hash in the low
   * 32 bits, in the next 23 the number of the key's records on disk (its versions, the newest
   * included: compaction may drop a tombstone only when it is the last one; it saturates, and a
   * saturated count never comes down, so such a key's tombstone stays until a reopen counts again),
   * then one bit set while the newest record is a tombstone (so that compaction, dropping a key's
   * older records, learns whether the one left is a tombstone without reading it), and in the top 8
   * the key's {@link KeyHash#fingerprint} where recovery indexed it (0 elsewhere).
   * The pair shares a cache line, so a probe costs one cache miss, not two.
   */
  static final class Table {
    final long[] data;
    private final int capacity;

    Table(int capacity) {
      data = new long[capacity * 2];
      this.capacity = capacity;
    }

    int capacity() {
      return capacity;
    }

    /**
     * Where the probe for {@code hash} starts: the hash scaled to the capacity (multiply and shift,
     * not a mask), so any capacity works and a key's home slot grows with its unsigned hash. The
     * table can then be any size rather than a power of two (memory), and keys sorted by hash fill
     * it front to back (a bulk build touches memory in order, not at random).
     */
    int home(int hash) {
      return (int) (((hash & 0xFFFF_FFFFL) * capacity) >>> 32);
    }

    /** The slot a probe visits after {@code slot}. */
    int next(int slot) {
      int n = slot + 1;
      return n == capacity ? 0 : n;
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
      return (int) (data[(slot << 1) + 1] >>> 32) & MAX_VERSIONS;
    }

    /** Whether the slot's newest record is a tombstone. */
    boolean tombstone(int slot) {
      return (data[(slot << 1) + 1] & TOMBSTONE) != 0;
    }

    /** Makes {@code position}, a tombstone or not, the slot's newest record. */
    private void setNewest(int slot, long position, boolean tombstone) {
      int i = (slot << 1) + 1;
      data[i] = tombstone ? data[i] | TOMBSTONE : data[i] & ~TOMBSTONE;
      setPosition(slot, position);
    }

    /** The fingerprint recovery stored with the slot's key. */
    int fingerprint(int slot) {
      return (int) (data[(slot << 1) + 1] >>> 56);
    }

    private void setVersions(int slot, int versions) {
      int i = (slot << 1) + 1;
      data[i] = ((long) versions << 32) | (data[i] & ~((long) MAX_VERSIONS << 32));
    }

    private void publish(int slot, long meta, long position) {
      data[(slot << 1) + 1] = meta;
      SLOT.setRelease(data, slot << 1, position);
    }

    private void setPosition(int slot, long position) {
      SLOT.setRelease(data, slot << 1, position);
    }
  }

  /**
   * The table of a closed store's index: empty, shared, never written. A probe that ends in it asks
   * its reader whether the store is still open (see {@link Lookup#find}), so a read racing a close
   * fails as closed instead of reporting an absent key.
   */
  static final Table RELEASED = new Table(1);

  private volatile Table table;
  private int live;
  private int occupied;

  HashIndex(int expectedKeys) {
    table = new Table(capacityFor(Math.max(expectedKeys, 16)));
  }

  /**
   * A capacity that holds {@code keys} at a load of {@value #SIZED_LOAD}: room to grow by a fifth
   * before the first rebuild (a rebuild right after an open would stall the first write).
   */
  private static int capacityFor(long keys) {
    long cap = Math.max(16, (long) Math.ceil(keys / SIZED_LOAD) + 1);
    if (cap > MAX_CAPACITY) {
      throw new IllegalStateException("index cannot hold " + keys + " keys");
    }
    return (int) cap;
  }

  /** The current table, for lock-free probing by readers. */
  Table table() {
    return table;
  }

  /**
   * Drops the table, so that a closed store's handle, still referenced, holds no index memory.
   * Writer side, after the last write; readers then find nothing and check whether their store is
   * still open.
   */
  void release() {
    table = RELEASED;
    live = 0;
    occupied = 0;
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
    for (int i = t.home(hash);; i = t.next(i)) {
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
    for (int i = t.home(hash);; i = t.next(i)) {
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

  /**
   * Writer side: maps {@code key} to {@code position}, a tombstone or not; returns the position it
   * replaced, or NONE.
   */
  long put(byte[] key, int hash, long position, boolean tombstone, KeyMatcher matcher) {
    Table t = table;
    int slot = slotOf(t, key, hash, matcher);
    if (slot >= 0) {
      long previous = t.positionPlain(slot);
      t.setVersions(slot, saturatedIncrement(t.versions(slot)));
      t.setNewest(slot, position, tombstone);
      return previous;
    }
    insert(t, slot, key, hash, position, tombstone, matcher);
    return Position.NONE;
  }

  /** Indexes a new key where {@link #slotOf} said its probe ended, growing the table first if due. */
  private void insert(Table t, int slot, byte[] key, int hash, long position, boolean tombstone, KeyMatcher matcher) {
    if (occupied + 1 > t.capacity() * MAX_LOAD) {
      grow();
      t = table;
      slot = slotOf(t, key, hash, matcher);
    }
    t.publish(-slot - 1, tombstoneBit(tombstone) | (1L << 32) | (hash & 0xFFFF_FFFFL), position);
    occupied++;
    live++;
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
    int now = t.versions(slot);
    int v = delta > 0 ? saturatedIncrement(now) : countedDown(now, delta);
    t.setVersions(slot, v);
    return v;
  }

  /**
   * Writer side (compaction): one record fewer of {@code key}, which the caller knows is indexed
   * because a record of it is still on disk in a segment of the table (every such key is, see
   * {@link KeyIndex}). Returns the key's slot if its newest record is now its only one (see
   * {@link #tombstoneAt}, {@link #positionAt}), else -1; the count never goes below 1 nor down from
   * a saturated value.
   *
   * <p>Why not {@link #addVersions}: finding a key by comparison reads its newest record, a cache
   * and TLB miss in a segment the compaction is not otherwise reading, for every superseded record
   * it drops (most of a victim under overwrites). When only one entry on the key's probe path
   * carries its hash, that entry is the key's, since the key is indexed; keys are compared only
   * where two entries share the hash.
   */
  int dropVersionOfIndexedKey(byte[] key, int hash, KeyMatcher matcher) {
    Table t = table;
    int slot = -1;
    for (int i = t.home(hash);; i = t.next(i)) {
      long p = t.positionPlain(i);
      if (p == EMPTY) {
        break;
      }
      if (p != DELETED && t.hash(i) == hash) {
        if (slot >= 0) {
          slot = slotOf(t, key, hash, matcher);
          break;
        }
        slot = i;
      }
    }
    if (slot < 0) {
      throw new IllegalStateException("compaction dropped a record of a key the index does not hold");
    }
    int v = countedDown(t.versions(slot), -1);
    t.setVersions(slot, v);
    return v == 1 ? slot : -1;
  }

  /** Writer side: whether an entry's position is exactly {@code position} (no key is compared). */
  boolean holds(int hash, long position) {
    return slotAt(table, hash, position) >= 0;
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

  /** The most versions a slot counts; a count that reached it stays (see {@link Table}). */
  static final int MAX_VERSIONS = (1 << 23) - 1;
  /** The bit of a slot's second word set while its newest record is a tombstone. */
  private static final long TOMBSTONE = 1L << 55;

  private static long tombstoneBit(boolean tombstone) {
    return tombstone ? TOMBSTONE : 0;
  }

  private static int saturatedIncrement(int v) {
    return v == MAX_VERSIONS ? v : v + 1;
  }

  /** {@code v} less {@code -delta}, never below 1, and never down from a saturated count. */
  private static int countedDown(int v, int delta) {
    return v == MAX_VERSIONS ? v : Math.max(1, v + delta);
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

  /** Grows the table, if needed, to hold {@code keys} keys at the load a table is sized for. */
  void reserve(long keys) {
    if (keys > (long) (table.capacity() * SIZED_LOAD)) {
      rebuild(capacityFor(Math.min(keys, (long) (MAX_CAPACITY * SIZED_LOAD))));
    }
  }

  /** Compares the keys of two records (recovery, where only positions are at hand). */
  interface RecordMatcher {
    /**
     * Whether the record at {@code stored} holds the key of the caller's record number
     * {@code record}. A number, not the key: the key is fetched only when a comparison is due,
     * which is rare (see {@link #findOrInsertRecord}).
     */
    boolean sameKey(long stored, int record);
  }

  /**
   * Recovery side: the slot of the key of the caller's record number {@code record} (compared
   * through {@code matcher}), with fingerprint {@code fingerprint}, whose newest record found so far is at
   * {@code position} (keys are compared with indexed records only where both the hashes and the
   * fingerprints match: each comparison reads a mapped record on a page nothing else touches, and
   * at ten million keys about 12,000 pairs of different keys share a 32-bit hash); if the key is not
   * indexed yet it is indexed at {@code position} (a tombstone or not) with one version, and
   * {@code -(slot) - 1} is returned. One probe.
   */
  int findOrInsertRecord(int hash, int fingerprint, long position, boolean tombstone, int record,
      RecordMatcher matcher) {
    if (occupied + 1 > table.capacity() * MAX_LOAD) {
      grow();
    }
    Table t = table;
    for (int i = t.home(hash);; i = t.next(i)) {
      long p = t.positionPlain(i);
      if (p == EMPTY) {
        t.publish(i, ((long) fingerprint << 56) | tombstoneBit(tombstone) | (1L << 32) | (hash & 0xFFFF_FFFFL),
            position);
        occupied++;
        live++;
        return -i - 1;
      }
      if (p != DELETED && t.hash(i) == hash && t.fingerprint(i) == fingerprint
          && matcher.sameKey(p, record)) {
        return i;
      }
    }
  }

  /**
   * Loads the home slot of {@code hash} and returns it: a bulk insert calls this for a key a few
   * places ahead, so that the cache misses of consecutive inserts overlap (plain loads are the only
   * prefetch Java has).
   */
  long touch(int hash) {
    Table t = table;
    return t.positionPlain(t.home(hash));
  }

  /** The position held by an occupied {@code slot} (writer or recovery side). */
  long positionAt(int slot) {
    return table.positionPlain(slot);
  }

  /** Recovery side: one more record of the key in {@code slot}, which stays the newest. */
  void addVersionAt(int slot) {
    table.setVersions(slot, saturatedIncrement(table.versions(slot)));
  }

  /** Recovery side: a newer record of the key in {@code slot}, at {@code position}, a tombstone or not. */
  void supersedeAt(int slot, long position, boolean tombstone) {
    addVersionAt(slot);
    table.setNewest(slot, position, tombstone);
  }

  /** Writer side: whether the newest record of the key in an occupied {@code slot} is a tombstone. */
  boolean tombstoneAt(int slot) {
    return table.tombstone(slot);
  }

  /**
   * Grows by half (not doubling): the table's load stays between 0.4 and 0.6, so it costs 27 to 40
   * bytes per key rather than the 27 to 53 of a power-of-two table.
   */
  private void grow() {
    long wanted = Math.max(capacityFor(live + 1L), table.capacity() + (table.capacity() >> 1));
    rebuild((int) Math.min(wanted, MAX_CAPACITY));
  }

  private void rebuild(int capacity) {
    Table old = table;
    Table next = new Table(capacity);
    for (int i = 0; i < old.capacity(); i++) {
      long p = old.positionPlain(i);
      if (p != EMPTY && p != DELETED) {
        long meta = old.data[(i << 1) + 1];
        int j = next.home((int) meta);
        while (next.positionPlain(j) != EMPTY) {
          j = next.next(j);
        }
        next.publish(j, meta, p);
      }
    }
    occupied = live;
    table = next;
  }
}
