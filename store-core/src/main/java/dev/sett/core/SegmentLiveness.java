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
 * <p>Records that expire are listed with their expiry: once it has passed they are waste that
 * compaction can drop, so the reclaimable figures ({@link #reclaimableBytes()} and the rest) count
 * them with the dead ones as of the last {@link #refreshExpired}, while {@link #deadBytes()} counts
 * only what later writes made dead.
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
  /** Records that expire: offset, expiry and size, in the order they were added. */
  private int[] expiringOffsets = new int[0];
  private long[] expiringAt = new long[0];
  private int[] expiringSizes = new int[0];
  private int expiring;
  /** Set by {@link #refreshExpired}; read by the compaction thread's lock-free polls. */
  private volatile long expiredBytes;
  private volatile long expiredRecords;
  private volatile long nextExpiry = Long.MAX_VALUE;
  private long expiredCountedAt = Long.MIN_VALUE;
  /** A record died while expired records were counted: one of them may be it. */
  private boolean recount;

  /** As {@link #added} for many records at once: totals a recovery helper counted. */
  void addedAll(long records, long bytes, long tombstones, long tombstoneBytes) {
    this.records += records;
    this.bytes += bytes;
    this.tombstones += tombstones;
    this.tombstoneBytes += tombstoneBytes;
  }

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
    if (expiredRecords > 0) {
      recount = true;
    }
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

  /** The record at {@code offset}, of {@code size} bytes, expires at {@code expiresAt}. */
  void expires(int offset, long expiresAt, int size) {
    if (expiring == expiringOffsets.length) {
      int n = Math.max(16, expiring * 2);
      expiringOffsets = java.util.Arrays.copyOf(expiringOffsets, n);
      expiringAt = java.util.Arrays.copyOf(expiringAt, n);
      expiringSizes = java.util.Arrays.copyOf(expiringSizes, n);
    }
    expiringOffsets[expiring] = offset;
    expiringAt[expiring] = expiresAt;
    expiringSizes[expiring] = size;
    expiring++;
    if (expiresAt < nextExpiry) {
      nextExpiry = expiresAt;
    }
  }

  /**
   * Counts the records not otherwise dead whose expiry is at or before {@code now}, for
   * {@link #reclaimableBytes()} and the rest, and notes when the next one expires. Under the write
   * lock (the dead bitmap is not safe to read beside a writer).
   */
  void refreshExpired(long now) {
    if (now < nextExpiry && !recount && now >= expiredCountedAt) {
      return; // nothing expired since the last count, and no counted record died another way
    }
    long sumBytes = 0;
    long sumRecords = 0;
    long next = Long.MAX_VALUE;
    for (int i = 0; i < expiring; i++) {
      if (dead.contains(expiringOffsets[i] / ID_UNIT)) {
        continue;
      }
      if (expiringAt[i] <= now) {
        sumBytes += expiringSizes[i];
        sumRecords++;
      } else if (expiringAt[i] < next) {
        next = expiringAt[i];
      }
    }
    expiredBytes = sumBytes;
    expiredRecords = sumRecords;
    nextExpiry = next;
    expiredCountedAt = now;
    recount = false;
  }

  /** Whether a record may have expired since the last {@link #refreshExpired}; safe without the lock. */
  boolean expiryDue(long now) {
    return now >= nextExpiry;
  }

  /** Bytes of expired records at the last {@link #refreshExpired}. */
  long expiredBytes() {
    return expiredBytes;
  }

  /** Bytes compaction could drop: dead records, and those expired at the last {@link #refreshExpired}. */
  long reclaimableBytes() {
    return deadBytes + expiredBytes;
  }

  /** Records compaction could drop: dead, and expired at the last {@link #refreshExpired}. */
  long reclaimableRecords() {
    return deadRecords + expiredRecords;
  }

  /** {@link #reclaimableBytes()} as a share of the bytes written, 0 for an empty segment. */
  double reclaimableRatio() {
    return bytes == 0 ? 0 : (double) reclaimableBytes() / bytes;
  }

  long bitmapBytes() {
    return dead.getLongSizeInBytes();
  }
}
