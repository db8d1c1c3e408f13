package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** How many records an open will meet, so that recovery sizes the hash index once. Stateless. */
final class KeyEstimate {
  private KeyEstimate() {
  }

  /**
   * About how many records the store holds: the count in each hint's header, and for a segment
   * without a hint (scanned: the newest, or segments sealed just before a crash) its size at the
   * hinted segments' bytes per record. The hash index is then allocated once at its final size:
   * growing it during the open means allocating and filling a new table.
   */
  static long expectedKeys(SegmentFiles files, List<Integer> ids, Set<Integer> hints) {
    long keys = 0;
    long hintedBytes = 0;
    for (int id : hints) {
      try {
        Path hint = files.hintPath(id);
        ByteBuffer header = files.storage().read(hint, 0, HintFile.HEADER);
        // A damaged header must not size the table: no hint holds more entries than fit its file.
        long count = Math.min(HintFile.countOf(header), HintFile.maxEntries(files.storage().size(hint)));
        if (count > 0) {
          keys += count;
          hintedBytes += HintFile.dataEndOf(header);
        }
      } catch (IOException e) {
        // Only an estimate: the hint is read (or found damaged) below.
      }
    }
    // With no hint to learn from, records of 16-byte keys and 100-byte values.
    double bytesPerRecord = keys > 0 && hintedBytes > 0 ? (double) hintedBytes / keys
        : SegmentFormat.recordSize(16, 100);
    bytesPerRecord = Math.max(bytesPerRecord, SegmentFormat.recordSize(1, 0));
    long segmentBytes = 0;
    for (int id : ids) {
      try {
        long size = files.storage().size(files.segmentPath(id));
        segmentBytes += size;
        if (!hints.contains(id)) {
          keys += (long) (size / bytesPerRecord);
        }
      } catch (IOException e) {
        // Only an estimate.
      }
    }
    // Never more records than the segments can hold, whatever the hints claim.
    return Math.min(keys, segmentBytes / SegmentFormat.recordSize(1, 0));
  }

}
