package dev.sett.api;

import java.nio.file.Path;

/**
 * Where the visible value of a key is stored, from {@code Sett.locate}: for inspection tools.
 * Immutable and thread-safe; a snapshot of a moment, which compaction may make stale (the record can
 * move to another segment).
 *
 * @param segmentId    id of the segment holding the record
 * @param file         that segment's file
 * @param offset       byte offset of the record in the file
 * @param sequence     the record's sequence number
 * @param storedCrc    the CRC32C stored in the record
 * @param crcOk        whether it matches the record's bytes
 * @param valueLength  the value's length in bytes
 * @param recordSize   bytes the record takes in the file, header and padding included
 * @param expiresAt    when the value expires, or null if it does not
 */
public record KeyLocation(int segmentId, Path file, long offset, long sequence, int storedCrc, boolean crcOk,
    int valueLength, int recordSize, java.time.Instant expiresAt) {
}
