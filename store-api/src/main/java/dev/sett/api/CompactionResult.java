package dev.sett.api;

/**
 * What one run of compaction did, from {@link Store#compact()}. Immutable and thread-safe.
 *
 * @param segmentsCompacted segments rewritten and retired
 * @param bytesReclaimed    bytes of the retired segment files (each is deleted as soon as no open
 *                          snapshot can reach it)
 * @param recordsCopied     live records copied forward into the active segment
 * @param bytesCopied       their bytes
 * @param recordsDropped    superseded records left behind
 * @param tombstonesDropped tombstones left behind because nothing older of their key remained
 * @param expiredDropped    expired records left behind (their keys left the store)
 * @param durationNanos     wall time of the run
 */
public record CompactionResult(
    int segmentsCompacted,
    long bytesReclaimed,
    long recordsCopied,
    long bytesCopied,
    long recordsDropped,
    long tombstonesDropped,
    long expiredDropped,
    long durationNanos) {

  /**
   * A run that found nothing worth doing.
   *
   * @param durationNanos wall time of the run
   * @return a result with every count 0
   */
  public static CompactionResult nothing(long durationNanos) {
    return new CompactionResult(0, 0, 0, 0, 0, 0, 0, durationNanos);
  }
}
