package dev.sett.core;

/**
 * The in-memory index of a store: the {@link HashIndex} for point reads, {@link OrderedKeys} for
 * scans, and the live/dead byte counts that stats and compaction read.
 *
 * <p>Every key the store has seen and not yet dropped maps to its newest record, a tombstone
 * included (snapshots older than a delete still reach the deleted value through the tombstone's
 * previous-version pointer).
 *
 * <p><b>Threading.</b> Mutated only by the store's writer (under its lock) or by recovery before
 * the store is published; readers use {@link #hash()} lock-free. The counters are read under the
 * writer's lock.
 */
final class KeyIndex implements HashIndex.KeyMatcher {
  private final HashIndex hash;
  private final OrderedKeys ordered = new OrderedKeys();
  private final SegmentTable segments;
  private long liveKeys;
  private long liveBytes;
  private long deadBytes;

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
   * Writer side: makes {@code position} the newest record of {@code key}. {@code ownedKey} is stored
   * in the ordered set if the key is new, so the caller must not modify it afterwards.
   */
  void update(byte[] ownedKey, int h, long position, byte type, int recordSize) {
    long previous = hash.put(ownedKey, h, position, this);
    if (previous == Position.NONE) {
      ordered.add(ownedKey);
    } else {
      retire(previous);
    }
    count(type, recordSize);
  }

  /**
   * Recovery side: applies a record found on disk, keeping whichever of it and the indexed record
   * has the higher sequence number.
   */
  void recover(byte[] ownedKey, int h, long position, long sequence, byte type, int recordSize) {
    long existing = hash.find(ownedKey, h, this);
    if (existing != Position.NONE) {
      Segment s = segments.get(Position.segment(existing));
      if (s.sequence(Position.offset(existing)) > sequence) {
        deadBytes += recordSize;
        return;
      }
    }
    update(ownedKey, h, position, type, recordSize);
  }

  private void retire(long previous) {
    Segment s = segments.get(Position.segment(previous));
    if (s == null) {
      return;
    }
    int off = Position.offset(previous);
    int size = s.recordSize(off);
    if (s.type(off) == SegmentFormat.TYPE_PUT) {
      liveKeys--;
      liveBytes -= size;
      deadBytes += size;
    }
  }

  private void count(byte type, int recordSize) {
    if (type == SegmentFormat.TYPE_PUT) {
      liveKeys++;
      liveBytes += recordSize;
    } else {
      deadBytes += recordSize;
    }
  }

  long liveKeys() {
    return liveKeys;
  }

  long liveBytes() {
    return liveBytes;
  }

  long deadBytes() {
    return deadBytes;
  }

  long memoryBytes() {
    return hash.memoryBytes() + ordered.memoryBytes();
  }
}
