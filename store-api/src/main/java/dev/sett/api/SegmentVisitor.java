package dev.sett.api;

/**
 * Receives what {@code Sett.dumpSegment} finds in a segment file, in file order. Called on the
 * thread that runs the dump, never concurrently.
 */
public interface SegmentVisitor {
  /**
   * A record whose framing is sound (its checksum may still be bad: see {@link RecordInfo#crcOk()}).
   *
   * @param record what the record's header says, and whether its checksum matches
   */
  void record(RecordInfo record);

  /**
   * The framing stopped at {@code offset} for {@code problem}; the walk resumes at the next sound
   * record, {@code resumesAt}, or stops if it is -1. Records between the two are not reported.
   *
   * @param offset where the framing stopped
   * @param resumesAt offset of the next sound record, or -1
   * @param problem what is wrong, in words
   */
  default void damaged(long offset, long resumesAt, String problem) {
  }
}
