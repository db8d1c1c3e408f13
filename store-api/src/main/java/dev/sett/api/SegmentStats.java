package dev.sett.api;

/**
 * Figures for one segment file, part of {@link StoreStats}. Immutable and thread-safe.
 *
 * @param id             the segment's id (its file is {@code id} as ten decimal digits + {@code .seg})
 * @param sizeBytes      the file's size
 * @param dataBytes      bytes of records in it
 * @param records        records in it
 * @param deadRecords    records compaction may drop
 * @param liveBytes      bytes of records holding current values
 * @param deadBytes      bytes of records compaction may drop
 * @param tombstones     tombstones that still shadow an older record
 * @param tombstoneBytes their bytes
 * @param active         whether it is the segment taking appends
 */
public record SegmentStats(
    int id,
    long sizeBytes,
    long dataBytes,
    long records,
    long deadRecords,
    long liveBytes,
    long deadBytes,
    long tombstones,
    long tombstoneBytes,
    boolean active) {

  /** {@return the dead share of the data, 0 for an empty segment} */
  public double deadRatio() {
    return dataBytes == 0 ? 0 : (double) deadBytes / dataBytes;
  }
}
