package dev.sett.api;

import java.nio.file.Path;

/**
 * The summary of one {@code Sett.dumpSegment}: the segment header and how the walk over its records
 * ended. Immutable and thread-safe.
 *
 * @param file           the segment file
 * @param fileSize       its length in bytes
 * @param headerProblem  what is wrong with the 64-byte header, or null if it is sound (the fields below
 *                       are then read from it; otherwise they are 0 and the records are walked up to
 *                       the file's length)
 * @param formatVersion  the header's format version
 * @param segmentId      the header's segment id
 * @param segmentSize    the size the header gives the file
 * @param createdMillis  the header's creation time, milliseconds since the epoch
 * @param records        records reported (sound framing)
 * @param badChecksums   of those, records whose checksum does not match
 * @param damages        places where the framing stopped
 * @param uncommitted    records at the end that belong to a write whose last record never came
 * @param end            offset where the walk stopped: the end marker (zeros), or the damage it
 *                       could not get past
 * @param ending         how the walk stopped
 */
public record SegmentDump(Path file, long fileSize, String headerProblem, int formatVersion, int segmentId,
    long segmentSize, long createdMillis, long records, long badChecksums, int damages, int uncommitted,
    long end, Ending ending) {

  /** How the walk over the records ended. */
  public enum Ending {
    /** Zeros after the last record: the normal end of the data. */
    END_MARKER,
    /** Damage with no sound record after it: a torn tail if this is a store's newest segment. */
    DAMAGED_TAIL,
    /** The file is shorter than its header says, and a record is cut off by its end. */
    FILE_TOO_SHORT
  }

  /** {@return whether nothing is wrong} That is a sound header, every checksum good, a clean end. */
  public boolean ok() {
    return headerProblem == null && badChecksums == 0 && damages == 0 && uncommitted == 0
        && ending == Ending.END_MARKER && fileSize >= segmentSize;
  }
}
