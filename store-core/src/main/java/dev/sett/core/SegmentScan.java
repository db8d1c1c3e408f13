package dev.sett.core;

/**
 * Reads every committed record of a segment into hint entries, and says where and why the scan
 * stopped. Records of a batch whose COMMIT record never came are not returned; {@link #committedEnd}
 * is where they start.
 *
 * <p>Single-threaded; the caller pins the segment.
 */
final class SegmentScan {
  final HintEntries entries;
  /** Offset just past the last committed record. */
  int committedEnd = SegmentFormat.HEADER_SIZE;
  /** Where the scanner stopped, and why. */
  int stopOffset;
  RecordScanner.Stop stop;
  String problem;
  /** Records of an unfinished batch at the end (dropped). */
  int uncommitted;

  /** Records scanned before the arrays are sized for the whole segment from their average size. */
  private static final int ESTIMATE_AFTER = 256;

  static SegmentScan of(Segment segment, int limit) {
    return of(segment, SegmentFormat.HEADER_SIZE, limit);
  }

  private SegmentScan(int expectedEntries) {
    entries = new HintEntries(expectedEntries);
  }

  /** Scans from {@code from}, which must be the start of a record (or the end of the data). */
  static SegmentScan of(Segment segment, int from, int limit) {
    SegmentScan result = new SegmentScan(ESTIMATE_AFTER);
    result.committedEnd = from;
    RecordScanner scanner = new RecordScanner(segment, from, limit);
    HintEntries entries = result.entries;
    // Where the data ends, if known (a live segment's, which the sealer scans). Recovery does not
    // know it, and extrapolating to the limit would size a nearly empty segment as a full one: the
    // arrays then grow by doubling.
    int dataEnd = segment.end() > from ? Math.min(segment.end(), limit) : -1;
    int committed = 0;
    while (scanner.next()) {
      int off = scanner.offset();
      entries.add(segment, off);
      if (entries.size() == ESTIMATE_AFTER && dataEnd > 0) {
        // The records so far predict the rest: grow the arrays once, to the estimate and a little.
        double perRecord = (double) (scanner.nextOffset() - from) / ESTIMATE_AFTER;
        double keyPerRecord = (double) entries.keyBytesUsed() / ESTIMATE_AFTER;
        long expected = (long) ((dataEnd - from) / perRecord * 1.05) + 16;
        if (expected > ESTIMATE_AFTER && expected < Integer.MAX_VALUE / 2) {
          entries.ensureCapacity((int) expected, (long) (expected * keyPerRecord) + 64);
        }
      }
      if ((entries.flags(entries.size() - 1) & SegmentFormat.FLAG_COMMIT) != 0) {
        committed = entries.size();
        result.committedEnd = scanner.nextOffset();
      }
    }
    result.stop = scanner.stop();
    result.stopOffset = scanner.offset();
    result.problem = scanner.problem();
    result.uncommitted = entries.size() - committed;
    entries.truncate(committed);
    return result;
  }

  /**
   * Turns a scan that stopped at an end marker into one that stopped at damage: bytes other than
   * zeros follow the marker, so the zeros are not the end of the data but a stretch of it that was
   * lost (a power cut that kept later sectors of an unsynced write and not an earlier one) or
   * damaged.
   */
  void dataAfterEnd() {
    stop = RecordScanner.Stop.DAMAGED;
    problem = DATA_AFTER_END;
  }

  /** The problem {@link #dataAfterEnd} reports. */
  static final String DATA_AFTER_END = "zeros where a record should start, with data after them";

  /** Whether the segment ended cleanly: an end marker right after a committed record. */
  boolean clean() {
    return stop == RecordScanner.Stop.END && uncommitted == 0;
  }

  /**
   * The offset of the first sound record at or after {@code from} (8-byte aligned), or -1; and in
   * {@code lastNonZero[0]} the offset just past the last non-zero 8-byte word. Used to tell a torn
   * tail (nothing sound after the damage) from damage in the middle of the data.
   */
  static int findSoundRecordAfter(Segment segment, int from, int[] lastNonZero) {
    return findSoundRecordAfter(segment, from, lastNonZero, Integer.MIN_VALUE);
  }

  /**
   * As {@link #findSoundRecordAfter(Segment, int, int[])}, counting only records whose durable end
   * is beyond {@code damage}: those were written after the damaged bytes had been forced to disk.
   */
  static int findSoundRecordAfter(Segment segment, int from, int[] lastNonZero, int damage) {
    MappedRegion r = segment.region();
    int size = segment.size();
    int found = -1;
    lastNonZero[0] = from;
    for (int o = SegmentFormat.align8(from); o + 8 <= size; o += 8) {
      if (r.readLong(o) == 0) {
        continue;
      }
      lastNonZero[0] = o + 8;
      if (found < 0 && o + SegmentFormat.RECORD_HEADER_SIZE <= size) {
        RecordScanner probe = new RecordScanner(segment, o, size);
        if (probe.next() && segment.durableEnd(o) > damage) {
          found = o;
        }
      }
    }
    return found;
  }
}
