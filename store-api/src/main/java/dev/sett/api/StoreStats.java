package dev.sett.api;

/**
 * Figures describing a store at one moment, from {@link Store#stats()}. Immutable and thread-safe;
 * the figures are not updated after the call returns.
 *
 * @param segmentCount   segment files, including the active one
 * @param diskBytes      bytes the segment files occupy (their sizes)
 * @param dataBytes      bytes of records written into segments (headers, keys, values, padding)
 * @param liveKeys       keys that currently have a value
 * @param liveBytes      bytes of records the index still points to, tombstones excluded
 * @param deadBytes      bytes of records shadowed by a later write or delete, and of tombstones
 * @param lastSequence   sequence number of the last write
 * @param indexBytes     heap bytes held by the in-memory indexes (estimate)
 * @param openSnapshots  snapshots not yet closed
 */
public record StoreStats(
    int segmentCount,
    long diskBytes,
    long dataBytes,
    long liveKeys,
    long liveBytes,
    long deadBytes,
    long lastSequence,
    long indexBytes,
    int openSnapshots) {
}
