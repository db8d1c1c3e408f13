package dev.sett.api;

import java.util.List;

/**
 * Figures describing a store at one moment, from {@link Store#stats()}. Immutable and thread-safe;
 * the figures are not updated after the call returns.
 *
 * @param segmentCount     segment files, including the active one
 * @param diskBytes        bytes the segment files occupy (their sizes; segments are created at full size)
 * @param dataBytes        bytes of records written into the segments (headers, keys, values, padding)
 * @param liveKeys         keys in the index: those that have a value, and expired ones until
 *                         compaction drops their records
 * @param liveBytes        bytes of the records that hold current values
 * @param deadBytes        bytes of records compaction may drop: superseded by a later write or delete,
 *                         expired, and tombstones that no longer shadow anything
 * @param tombstoneBytes   bytes of tombstones that still shadow an older record on disk
 * @param lastSequence     sequence number of the last write
 * @param indexBytes       heap bytes held by the in-memory indexes (estimate)
 * @param openSnapshots    snapshots not yet closed
 * @param compactionsRun   compactions that reclaimed at least one segment since the store was opened
 * @param bytesReclaimed   bytes of segment files compaction retired since the store was opened (a
 *                         retired file is deleted once no open snapshot can reach it)
 * @param compactionNanos  time spent compacting since the store was opened
 * @param segments         one entry per segment, in id order
 * @param backgroundTasks  the health of each background task (see {@link BackgroundTaskStats})
 * @param retainedBytes    bytes of segment files no longer part of the store (compacted, or kept
 *                         only by a snapshot that closed) that are still mapped: either a read that
 *                         started before may still be inside them (they are unmapped, and a compacted
 *                         file deleted, as soon as it leaves), or a view taken from a snapshot still
 *                         references their read-only mapping, which only the garbage collector
 *                         releases (drop such views, or copy the bytes out, to get the space back)
 */
public record StoreStats(
    int segmentCount,
    long diskBytes,
    long dataBytes,
    long liveKeys,
    long liveBytes,
    long deadBytes,
    long tombstoneBytes,
    long lastSequence,
    long indexBytes,
    int openSnapshots,
    long compactionsRun,
    long bytesReclaimed,
    long compactionNanos,
    List<SegmentStats> segments,
    List<BackgroundTaskStats> backgroundTasks,
    long retainedBytes) {

  /**
   * Figures; the lists are copied. See the class comment for each component.
   *
   * @param segmentCount segment files, including the active one
   * @param diskBytes bytes the segment files occupy
   * @param dataBytes bytes of records written into the segments
   * @param liveKeys keys that currently have a value
   * @param liveBytes bytes of the records that hold current values
   * @param deadBytes bytes of records compaction may drop
   * @param tombstoneBytes bytes of tombstones that still shadow an older record on disk
   * @param lastSequence sequence number of the last write
   * @param indexBytes heap bytes held by the in-memory indexes (estimate)
   * @param openSnapshots snapshots not yet closed
   * @param compactionsRun compactions that reclaimed at least one segment since the store was opened
   * @param bytesReclaimed bytes of segment files compaction retired since the store was opened
   * @param compactionNanos time spent compacting since the store was opened
   * @param segments one entry per segment, in id order
   * @param backgroundTasks the health of each background task
   * @param retainedBytes bytes of segment files no longer part of the store that are still mapped
   */
  public StoreStats {
    segments = List.copyOf(segments);
    backgroundTasks = List.copyOf(backgroundTasks);
  }

  /**
   * Disk bytes per byte of live data ({@code diskBytes / liveBytes}); 1.0 for an empty store. The
   * unused tail of the active segment counts as disk bytes too.
   *
   * @return the ratio, infinite if the store holds dead data only
   */
  public double spaceAmplification() {
    if (liveBytes == 0) {
      return diskBytes == 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return (double) diskBytes / liveBytes;
  }
}
