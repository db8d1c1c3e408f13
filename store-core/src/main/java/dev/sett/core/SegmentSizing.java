package dev.sett.core;

import dev.sett.api.StoreOptions;

/**
 * How large a new segment file is made.
 *
 * <p>A store starts with {@value #FIRST}-byte segments and each new one is as large as all of its
 * segments together (rounded up to a power of two), up to {@code segmentSize}: 64 KiB, 64 KiB,
 * 128 KiB, 256 KiB, ... Why: every segment is written full of zeros when it is created (that
 * reserves its blocks, so that a full disk is an exception at creation, never a SIGBUS on a write
 * through the mapping), so a store's disk use is the sum of its segment sizes, and a store holding
 * one key must not cost 64 MiB. Why doubling the total rather than a fixed small size: a store of
 * {@code n} bytes then needs only about {@code log2(n / 64 KiB)} segments below the cap (eleven
 * instead of one for the first 64 MiB with the default size, the same count as before from there
 * on), so the mapping count ({@link MappingCensus}), open files and rolls stay about what they
 * were; and the unused tail of the active segment is never more than the data before it. Why the
 * total size of the files rather than the live data in them: a store that overwrites a few keys
 * with compaction off (or behind) would otherwise make small segments for ever, one mapping each,
 * until it reached the kernel's mapping limit. Sizing from the segments that exist now, rather
 * than from the previous one, still lets a store that compaction shrank use smaller segments again.
 *
 * <p>Compaction's copies go through the same roll, so its output follows the same rule: a big store
 * compacts into full-size segments, a small one into small segments. Sizing the output by the bytes
 * one run moves instead would give a big store many small segments (more mappings and files) after
 * every run.
 *
 * <p>Mixed sizes need nothing else: each segment's header records its size, and recovery, repair
 * and verification read it from there.
 */
final class SegmentSizing {
  /** Size of a store's first segment, and the smallest a growing store makes. */
  static final int FIRST = StoreOptions.MIN_SEGMENT_SIZE;

  private SegmentSizing() {
  }

  /**
   * The size of a new segment in a store whose segments now take {@code existingBytes} in total,
   * for a first record (or batch) of {@code recordSize} bytes, with {@code segmentSize} configured.
   * More than {@code segmentSize} only when the record does not fit in it: that happens when a
   * store written with larger segments (or a larger value limit) is reopened with smaller ones and
   * compaction moves one of its big records.
   */
  static int sizeFor(long existingBytes, int recordSize, int segmentSize) {
    long needed = (long) SegmentFormat.HEADER_SIZE + recordSize;
    if (needed > segmentSize) {
      long unit = StoreOptions.MIN_SEGMENT_SIZE;
      return (int) Math.min(StoreOptions.MAX_SEGMENT_SIZE, (needed + unit - 1) / unit * unit);
    }
    long wanted = Math.max(ceilPowerOfTwo(existingBytes), ceilPowerOfTwo(needed));
    return (int) Math.min(segmentSize, Math.max(FIRST, wanted));
  }

  /** Whether a segment file of {@code size} bytes holds a first record of {@code recordSize} bytes. */
  static boolean holds(int size, int recordSize) {
    return (long) SegmentFormat.HEADER_SIZE + recordSize <= size;
  }

  private static long ceilPowerOfTwo(long n) {
    return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
  }
}
