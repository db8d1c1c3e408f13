package dev.sett.core;

import dev.sett.api.CorruptionException;
import java.time.InstantSource;

/**
 * What a key's newest record (found in the index) says about its value now: the writer asks before
 * a delete (a delete of nothing writes nothing) and before a conditional write. Writer side: the
 * caller holds the write lock, so the record cannot move or go while it is read.
 *
 * <p>Immutable; used under the write lock only.
 */
final class CurrentValues {
  private final SegmentTable table;
  private final boolean verifyChecksums;
  private final InstantSource clock;

  CurrentValues(SegmentTable table, boolean verifyChecksums, InstantSource clock) {
    this.table = table;
    this.verifyChecksums = verifyChecksums;
    this.clock = clock;
  }

  /**
   * Whether the record at {@code position} gives its key no value now: none, deleted or expired (the
   * clock is asked only for a record that expires).
   */
  boolean isAbsent(long position) {
    if (position == Position.NONE) {
      return true;
    }
    Segment s = table.get(Position.segment(position));
    if (s == null) {
      return true;
    }
    int off = Position.offset(position);
    if (s.type(off) == SegmentFormat.TYPE_DELETE) {
      return true;
    }
    long expiresAt = s.expiresAt(off);
    return expiresAt != SegmentFormat.NEVER && expiresAt <= clock.millis();
  }

  /**
   * Whether the key whose newest record is at {@code position} has the value {@code expected} now
   * (null: no value). The record is verified first when {@code verifyChecksums} is on: a damaged
   * value must not decide a write.
   */
  boolean is(long position, byte[] expected) {
    if (isAbsent(position)) {
      return expected == null;
    }
    if (expected == null) {
      return false;
    }
    Segment s = table.get(Position.segment(position));
    int off = Position.offset(position);
    if (verifyChecksums && !s.crcMatches(off)) {
      throw new CorruptionException(s.path(), off, "record checksum mismatch");
    }
    return s.valueEquals(off, expected);
  }
}
