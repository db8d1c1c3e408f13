package dev.sett.core;

import java.util.List;

/**
 * The in-memory index of a store: the {@link HashIndex} for point reads, {@link OrderedKeys} for
 * scans, and the per-segment {@link SegmentLiveness} that stats and compaction read.
 *
 * <p>Every key the store has seen and not yet dropped maps to its newest record, a tombstone
 * included (snapshots older than a delete still reach the deleted value through the tombstone's
 * previous-version pointer). Each entry also counts the key's records on disk; a tombstone whose key
 * has no other record left shadows nothing, so it is marked dead and compaction may drop it.
 *
 * <p><b>Threading.</b> Mutated only by the store's writer (under its lock), by compaction (under the
 * same lock) or by recovery before the store is published; readers use {@link #hash()} lock-free.
 */
final class KeyIndex implements HashIndex.KeyMatcher, HashIndex.RecordMatcher {
  private final HashIndex hash;
  private final OrderedKeys ordered = new OrderedKeys();
  private final SegmentTable segments;
  private long liveKeys;

  KeyIndex(SegmentTable segments, int expectedKeys) {
    this.segments = segments;
    this.hash = new HashIndex(expectedKeys);
  }

  HashIndex hash() {
    return hash;
  }

  OrderedKeys ordered() {
    return ordered;
  }

  @Override
  public boolean matches(long position, byte[] key) {
    Segment s = segments.get(Position.segment(position));
    return s != null && s.keyEquals(Position.offset(position), key);
  }

  /** Writer side: the newest record of {@code key}, or {@link Position#NONE}. */
  long find(byte[] key, int h) {
    return hash.find(key, h, this);
  }

  /**
   * Writer side: makes {@code position}, just appended, the newest record of {@code key}.
   * {@code ownedKey} is stored in the ordered set if the key is new, so the caller must not modify
   * it afterwards.
   */
  void update(byte[] ownedKey, int h, long position, byte type, int recordSize) {
    update(ownedKey, h, position, type, recordSize, null);
  }

  /**
   * As {@link #update(byte[], int, long, byte, int)}; if {@code newKeys} is given, a key new to the
   * index is appended to it instead of entering the ordered keys, and the caller hands the batch's
   * new keys over with {@link #addNewKeys} before the batch becomes visible.
   */
  void update(byte[] ownedKey, int h, long position, byte type, int recordSize, List<byte[]> newKeys) {
    segment(position).liveness().added(type, recordSize);
    long previous = hash.put(ownedKey, h, position, type == SegmentFormat.TYPE_DELETE, this);
    if (previous == Position.NONE) {
      if (newKeys != null) {
        newKeys.add(ownedKey);
        countNew(position, type);
      } else {
        added(ownedKey, position, type);
      }
    } else {
      supersede(previous);
      if (type == SegmentFormat.TYPE_PUT) {
        liveKeys++;
      }
    }
  }

  /** Writer side: the new keys {@link #update} gathered for a batch enter the ordered keys. */
  void addNewKeys(List<byte[]> newKeys) {
    ordered.addAll(newKeys);
  }

  /** Writer side: starts the hash index loading the slot of {@code h}, for a probe a little later. */
  long touch(int h) {
    return hash.touch(h);
  }

  /** A key new to the index was just given {@code position}, whose liveness is counted. */
  private void added(byte[] ownedKey, long position, byte type) {
    ordered.add(ownedKey);
    countNew(position, type);
  }

  private void countNew(long position, byte type) {
    if (type == SegmentFormat.TYPE_DELETE) {
      // A delete of a key with no record on disk (possible in a batch) shadows nothing.
      markDeadIfTombstone(position);
    } else {
      liveKeys++;
    }
  }

  /**
   * Recovery side: a record found on disk, in the segment announced by {@link #beginSegment}, with
   * its key as the source lists it ({@code keyLength} bytes of {@code key} from {@code keyFrom}, left
   * unchanged until {@link #segmentRecovered}; keys are compared with these bytes, never with the
   * record's, which no check has read). Records of one key must come oldest segment first (on a
   * sequence tie the one found later wins: a copy made by compaction).
   */
  void recover(byte[] key, int keyFrom, int keyLength, long h64, long position, long sequence, byte type,
      int recordSize) {
    segment(position).liveness().added(type, recordSize);
    build.add(KeyHash.fold(h64), KeyHash.fingerprint(h64), Position.offset(position), sequence, type, recordSize,
        key, keyFrom, keyLength);
    ordered.addFrom(key, keyFrom, keyLength);
  }

  /** Recovery side: from now until {@link #finishRecovery}, about {@code expectedKeys} keys arrive. */
  void beginRecovery(long expectedKeys) {
    if (hash.size() != 0) {
      throw new IllegalStateException("recovery needs an empty index");
    }
    hash.reserve(expectedKeys);
    build = new IndexBuild();
    ordered.beginBulk();
  }

  /**
   * Recovery side: the records of segment {@code id} follow; {@code keyOrdered} if they come in key
   * order (its run of ordered keys is then built without sorting).
   */
  void beginSegment(int id, boolean keyOrdered, int expectedKeys) {
    buildSegment = id;
    build.clear();
    ordered.beginBulkRun(keyOrdered, expectedKeys);
  }

  /**
   * Recovery side: the records of one segment were given. Its keys become one sorted run, and its
   * records enter the hash index in hash order: each key maps to its newest record and counts its
   * records on disk, and older records are marked dead.
   */
  void segmentRecovered() {
    ordered.endBulkRun();
    insertAll(build, build.sortedByHash(), buildSegment);
    build.clear();
  }

  /**
   * Recovery side: the records of segment {@code id}, prepared on another thread: {@code b} holds
   * them, {@code sorted} is its {@link IndexBuild#sortedByHash()}, {@code run} their keys in order.
   * The same as {@link #beginSegment} and {@link #recover} for each record, then
   * {@link #segmentRecovered}; the segment's liveness totals are the caller's.
   */
  void segmentRecovered(int id, IndexBuild b, long[] sorted, KeyRun run) {
    ordered.addBulkRun(run);
    insertAll(b, sorted, id);
  }

  private void insertAll(IndexBuild b, long[] sorted, int segmentId) {
    inserting = b;
    long touched = 0;
    int n = b.size();
    for (int i = 0; i < n; i++) {
      if (i % TOUCH_BLOCK == 0) {
        // A block's home slots load first, in a loop of nothing else, so that their misses
        // overlap (see Writer's batch path); touched a few inserts ahead, they waited in turn.
        for (int j = i, end = Math.min(n, i + TOUCH_BLOCK); j < end; j++) {
          touched += hash.touch(IndexBuild.hashOf(sorted[j])) + b.packed(IndexBuild.recordOf(sorted[j]));
        }
      }
      int h = IndexBuild.hashOf(sorted[i]);
      int r = IndexBuild.recordOf(sorted[i]);
      long packed = b.packed(r);
      long position = Position.of(segmentId, IndexBuild.offsetOf(packed));
      byte type = IndexBuild.typeOf(packed);
      int slot = hash.findOrInsertRecord(h, IndexBuild.fingerprintOf(packed), position,
          type == SegmentFormat.TYPE_DELETE, r, this);
      if (slot < 0) {
        if (type == SegmentFormat.TYPE_DELETE) {
          recoveredTombstones.add(h, position);
        } else {
          liveKeys++;
        }
        continue;
      }
      long existing = hash.positionAt(slot);
      if (segment(existing).sequence(Position.offset(existing)) > b.sequence(r)) {
        segment(position).liveness().markDead(Position.offset(position), type, b.recordSize(r));
        hash.addVersionAt(slot);
        continue;
      }
      if (type == SegmentFormat.TYPE_DELETE) {
        recoveredTombstones.add(h, position);
      }
      hash.supersedeAt(slot, position, type == SegmentFormat.TYPE_DELETE);
      supersede(existing);
      if (type == SegmentFormat.TYPE_PUT) {
        liveKeys++;
      }
    }
    touchSink = touched;
    inserting = null;
  }

  /** The records {@link #insertAll} inserts, whose keys {@link #sameKey(long, int)} compares. */
  private IndexBuild inserting;

  @Override
  public boolean sameKey(long stored, int record) {
    IndexBuild b = inserting;
    Segment s = segments.get(Position.segment(stored));
    return s != null && s.keyEquals(Position.offset(stored), b.keyBytes(record), b.keyFrom(record), b.keyLength(record));
  }

  /** Recovery side, after every segment was applied: marks tombstones that shadow nothing dead. */
  void finishRecovery() {
    ordered.finishBulk();
    build = null;
    // Only keys whose newest record may be a tombstone are looked at: reading every indexed
    // record's type would cost a cache miss (or a page fault) per key of the store.
    for (int i = 0; i < recoveredTombstones.size; i++) {
      long position = recoveredTombstones.positions[i];
      if (hash.versionsAt(recoveredTombstones.hashes[i], position) == 1) {
        markDeadIfTombstone(position);
      }
    }
    recoveredTombstones = new Tombstones();
  }

  /** Where recovery indexed tombstones, with their keys' hashes. */
  private static final class Tombstones {
    int[] hashes = new int[16];
    long[] positions = new long[16];
    int size;

    void add(int h, long position) {
      if (size == positions.length) {
        hashes = java.util.Arrays.copyOf(hashes, size * 2);
        positions = java.util.Arrays.copyOf(positions, size * 2);
      }
      hashes[size] = h;
      positions[size++] = position;
    }
  }

  private Tombstones recoveredTombstones = new Tombstones();
  /** Recovery only: the records of the segment being applied, and its id. */
  private IndexBuild build;
  /** How many records' home slots are loaded together ahead of their inserts. */
  private static final int TOUCH_BLOCK = 256;
  /** Keeps the loads of {@link HashIndex#touch} from being removed as dead code. */
  long touchSink;
  private int buildSegment;

  private void markDead(long position) {
    Segment s = segment(position);
    int off = Position.offset(position);
    s.liveness().markDead(off, s.type(off), s.recordSize(off));
  }

  private void supersede(long previous) {
    markDead(previous);
    if (segment(previous).type(Position.offset(previous)) == SegmentFormat.TYPE_PUT) {
      liveKeys--;
    }
  }

  private void markDeadIfTombstone(long position) {
    Segment s = segment(position);
    int off = Position.offset(position);
    if (s.type(off) == SegmentFormat.TYPE_DELETE) {
      s.liveness().markDead(off, SegmentFormat.TYPE_DELETE, s.recordSize(off));
    }
  }

  private Segment segment(long position) {
    Segment s = segments.get(Position.segment(position));
    if (s == null) {
      throw new IllegalStateException("index entry " + Position.toString(position) + " names no live segment");
    }
    return s;
  }

  // ---- compaction ------------------------------------------------------------------------------

  /**
   * Whether the newest record of the key hashing to {@code h} is exactly {@code position}: some
   * entry holds that position (a position is one record, so it can only be its own key's entry,
   * and no key is compared).
   */
  boolean pointsTo(int h, long position) {
    return hash.holds(h, position);
  }

  /** The number of records of {@code key} on disk (0 if the key is not indexed). */
  int versions(byte[] key, int h) {
    return hash.versions(key, h, this);
  }

  /**
   * Compaction dropped a superseded record of {@code key}. When only the newest record is left and
   * it is a tombstone, the tombstone now shadows nothing: it is marked dead.
   */
  void dropped(byte[] key, int h) {
    int slot = hash.dropVersionOfIndexedKey(key, h, this);
    if (slot >= 0 && hash.tombstoneAt(slot)) {
      markDeadIfTombstone(hash.positionAt(slot));
    }
  }

  /** Compaction copied the newest record of a key from {@code from} to {@code to}. */
  void moved(int h, long from, long to, byte type, int recordSize, boolean dead, long expiresAt) {
    if (!hash.replace(h, from, to)) {
      throw new IllegalStateException("compaction moved " + Position.toString(from) + " but the index no longer"
          + " points there");
    }
    SegmentLiveness l = segment(to).liveness();
    l.added(type, recordSize);
    if (expiresAt != SegmentFormat.NEVER) {
      l.expires(Position.offset(to), expiresAt, recordSize);
    }
    if (dead) {
      l.markDead(Position.offset(to), type, recordSize);
    }
  }

  /**
   * Compaction dropped the only record of {@code key}, a tombstone that shadowed nothing or an
   * expired put ({@code type}): the key leaves the index, unless a write made a newer record since
   * (then false, and nothing changes).
   */
  boolean removeKey(byte[] key, int h, long position, byte type) {
    if (hash.remove(h, position)) {
      ordered.remove(key);
      if (type == SegmentFormat.TYPE_PUT) {
        liveKeys--;
      }
      return true;
    }
    return false;
  }

  /** A failed compaction run left a record of {@code key} on disk that it had stopped counting. */
  void addVersion(byte[] key, int h) {
    hash.addVersions(key, h, 1, this);
  }

  // ---- figures ---------------------------------------------------------------------------------

  long liveKeys() {
    return liveKeys;
  }

  long memoryBytes() {
    return hash.memoryBytes() + ordered.memoryBytes();
  }

  /**
   * Drops the hash table and the ordered keys: a closed store's handle may stay referenced (Kafka
   * Streams keeps its store objects after closing them; so may any application field), and must
   * not keep tens of bytes per key on the heap. Writer side, once no write can come.
   */
  void release() {
    hash.release();
    ordered.release();
    liveKeys = 0;
  }
}
