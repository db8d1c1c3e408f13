package dev.sett.core;

import static dev.sett.core.SegmentFormat.RECORD_HEADER_SIZE;

/**
 * Walks the records of a segment from a start offset, checking each one's framing and CRC32C. It
 * stops at the end marker (a zeroed header) or at the first record that fails a check, and says
 * which, with the offset and the problem.
 *
 * <p>Every length is checked against the segment before any byte it describes is read, so damaged
 * input cannot make the scanner read outside the mapping. Single-threaded; the caller pins the
 * segment.
 */
final class RecordScanner {
  /** Why the scan stopped. */
  enum Stop { NONE, END, DAMAGED }

  /** The problem of a record whose framing is sound but whose checksum does not match. */
  static final String CHECKSUM_MISMATCH = "record checksum mismatch";

  private final Segment segment;
  private final int limit;
  private int next;
  private int offset = -1;
  private Stop stop = Stop.NONE;
  private String problem;

  RecordScanner(Segment segment, int from, int limit) {
    this.segment = segment;
    this.next = from;
    this.limit = limit;
  }

  /** Moves to the next sound record; false when the scan stopped (see {@link #stop()}). */
  boolean next() {
    if (stop != Stop.NONE) {
      return false;
    }
    int off = next;
    if (off + RECORD_HEADER_SIZE > limit) {
      if (off < limit && !zero(off, limit - off)) {
        return damaged(off, "a record header is cut off by the end of the segment");
      }
      return end(off);
    }
    MappedRegion r = segment.region();
    byte type = segment.type(off);
    if (type == 0 && zero(off, RECORD_HEADER_SIZE)) {
      return end(off);
    }
    if (type != SegmentFormat.TYPE_PUT && type != SegmentFormat.TYPE_DELETE) {
      return damaged(off, "unknown record type " + type);
    }
    byte flags = segment.flags(off);
    int known = SegmentFormat.FLAG_COMMIT | (segment.formatVersion() >= 2 ? SegmentFormat.FLAG_EXPIRES : 0);
    if ((flags & ~known) != 0) {
      return damaged(off, "unknown record flags " + flags + " for a version " + segment.formatVersion() + " segment");
    }
    boolean expires = (flags & SegmentFormat.FLAG_EXPIRES) != 0;
    int kl = segment.keyLength(off);
    int vl = segment.bodyLength(off);
    if (kl == 0 || vl < 0 || (type == SegmentFormat.TYPE_DELETE && vl != 0)
        || (expires && (type != SegmentFormat.TYPE_PUT || vl < SegmentFormat.EXPIRY_SIZE))) {
      return damaged(off, "impossible record lengths (key " + kl + ", body " + vl + ", flags " + flags + ")");
    }
    if ((long) off + RECORD_HEADER_SIZE + kl + vl > limit) {
      return damaged(off, "a record of " + (RECORD_HEADER_SIZE + kl + (long) vl)
          + " bytes runs past the end of the data");
    }
    int durableEnd = r.readInt(off + (long) SegmentFormat.R_DURABLE_END);
    if (durableEnd < SegmentFormat.HEADER_SIZE || durableEnd > off) {
      return damaged(off, "impossible durable end " + durableEnd);
    }
    if (!segment.crcMatches(off)) {
      return damaged(off, CHECKSUM_MISMATCH);
    }
    offset = off;
    next = off + SegmentFormat.recordSize(kl, vl);
    return true;
  }

  private boolean zero(int off, int length) {
    MappedRegion r = segment.region();
    int end = Math.min(off + length, segment.size());
    for (int o = off; o < end; o++) {
      if (r.readByte(o) != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean end(int off) {
    stop = Stop.END;
    offset = off;
    return false;
  }

  private boolean damaged(int off, String why) {
    stop = Stop.DAMAGED;
    offset = off;
    problem = why;
    return false;
  }

  /** Offset of the current record, or where the scan stopped. */
  int offset() {
    return offset;
  }

  /** Offset just past the current record. */
  int nextOffset() {
    return next;
  }

  Stop stop() {
    return stop;
  }

  String problem() {
    return problem;
  }
}
