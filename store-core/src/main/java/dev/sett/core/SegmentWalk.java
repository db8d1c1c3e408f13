package dev.sett.core;

/**
 * Walks every record of a segment that can be found, for inspection and repair: where
 * {@link RecordScanner} stops at the first damage, this one reports it and resumes at the next sound
 * record (found by {@link SegmentScan#findSoundRecordAfter}), so that good records after a damaged
 * stretch are not lost from view. A record whose framing is sound but whose checksum fails is
 * reported as a record too, then as damage, and the walk goes on right after it when the next record
 * is sound.
 *
 * <p>Single-threaded; the caller owns the segment (a read-only mapping of a closed file, or of one
 * a writer is appending to: the walk only reads).
 */
final class SegmentWalk {
  /** What the walk finds, in file order. */
  interface Listener {
    /** A record with sound framing at {@code offset}; {@code crcOk} false if its checksum fails. */
    void record(Segment segment, int offset, boolean crcOk);

    /**
     * Damage at {@code offset}: nothing sound until {@code resumesAt} (-1: nothing sound after it);
     * {@code garbageEnd} is where the damaged bytes end (the resume point, or just past the last
     * non-zero word of the segment).
     */
    void damaged(int offset, int resumesAt, int garbageEnd, String problem);

    /** The walk stopped at {@code offset}: an end marker, or damage with nothing sound after it. */
    void end(int offset, boolean endMarker);
  }

  private SegmentWalk() {
  }

  static void walk(Segment segment, int limit, Listener listener) {
    int pos = SegmentFormat.HEADER_SIZE;
    while (true) {
      RecordScanner scanner = new RecordScanner(segment, pos, limit);
      while (scanner.next()) {
        listener.record(segment, scanner.offset(), true);
      }
      int off = scanner.offset();
      int resume = -1;
      int garbageEnd;
      if (scanner.stop() == RecordScanner.Stop.END) {
        // Zeros with data after them are a lost or damaged stretch, not the end (as an open sees
        // it): the walk resumes only at a record written once the zeroed bytes had been synced;
        // anything else after them is the rest of the same torn, never-synced tail.
        int[] lastNonZero = new int[1];
        resume = SegmentScan.findSoundRecordAfter(segment, off + 8, lastNonZero, off);
        if (resume < 0 && lastNonZero[0] <= off + 8) {
          listener.end(off, true);
          return;
        }
        listener.damaged(off, resume, resume >= 0 ? resume : lastNonZero[0], SegmentScan.DATA_AFTER_END);
        if (resume < 0) {
          listener.end(off, false);
          return;
        }
        pos = resume;
        continue;
      }
      if (RecordScanner.CHECKSUM_MISMATCH.equals(scanner.problem())) {
        listener.record(segment, off, false);
        int next = off + segment.recordSize(off);
        RecordScanner probe = new RecordScanner(segment, next, limit);
        if (probe.next() || probe.stop() == RecordScanner.Stop.END) {
          resume = next;
        }
      }
      int[] lastNonZero = new int[1];
      if (resume < 0) {
        resume = SegmentScan.findSoundRecordAfter(segment, off + 8, lastNonZero);
        garbageEnd = resume >= 0 ? resume : Math.max(lastNonZero[0], Math.min(limit, off + 8));
      } else {
        garbageEnd = resume;
      }
      listener.damaged(off, resume, garbageEnd, scanner.problem());
      if (resume < 0) {
        listener.end(off, false);
        return;
      }
      pos = resume;
    }
  }
}
