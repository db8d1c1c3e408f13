package dev.sett.core;

import org.roaringbitmap.RoaringBitmap;

/**
 * Which records of one segment are dead, and how many bytes that is: what compaction reads to pick
 * its work. A record is identified by its offset divided by {@value #ID_UNIT}, the size of the
 * smallest record: unique (two records start at least that far apart) and dense, so the bitmap's
 * containers fill up and switch to constant-time bitmaps (ids of offset / 8 were so sparse that
 * sorted-array inserts took a fifth of an overwrite's time, measured).
 *
 * <p>A record is dead when a later write or delete of its key superseded it, or when it is a
 * tombstone that no longer shadows anything on disk (its key's older versions are all gone).
 * Live tombstones are counted apart: they take space but cannot be dropped yet.
 *
 * <p>Rebuilt by recovery on every open (recovery sees every record anyway), so it is not persisted.
 * Mutated only under the store's write lock; read under it for stats.
 */
final class SegmentLiveness {
  static final int ID_UNIT = SegmentFormat.RECORD_HEADER_SIZE + 8;
  private final RoaringBitmap dead = new RoaringBitmap();
  private long records;
  private long bytes;
  private long deadRecords;
  private long deadBytes;
  private long tombstones;
  private long tombstoneBytes;

  void added(byte type, int size) {
    records++;
    bytes += size;
    if (type == SegmentFormat.TYPE_DELETE) {
      tombstones++;
      tombstoneBytes += size;
    }
  }

  /** Marks the record at {@code offset} dead; false if it already was. */
  boolean markDead(int offset, byte type, int size) {
    if (!dead.checkedAdd(offset / ID_UNIT)) {
      return false;
    }
    deadRecords++;
    deadBytes += size;
    if (type == SegmentFormat.TYPE_DELETE) {
      tombstones--;
      tombstoneBytes -= size;
    }
    return true;
  }

  boolean isDead(int offset) {
    return dead.contains(offset / ID_UNIT);
  }

  long records() {
    return records;
  }

  long bytes() {
    return bytes;
  }

  long deadRecords() {
    return deadRecords;
  }

  long deadBytes() {
    return deadBytes;
  }

  long liveBytes() {
    return bytes - deadBytes - tombstoneBytes;
  }

  long tombstones() {
    return tombstones;
  }

  long tombstoneBytes() {
    return tombstoneBytes;
  }

  /** Dead share of the bytes written, 0 for an empty segment. */
  double deadRatio() {
    return bytes == 0 ? 0 : (double) deadBytes / bytes;
  }

  long bitmapBytes() {
    return dead.getLongSizeInBytes();
  }
}
