package dev.sett.api;

/**
 * One record of a segment file as {@code Sett.dumpSegment} found it: where it is, its header fields
 * and whether its checksum holds. Made for inspection tools, not for reading data: the key and value
 * bytes are copies, the value possibly cut short. Immutable and thread-safe; it refers to nothing
 * on disk, so it stays valid after the dump returns (the arrays are the caller's to keep).
 *
 * @param offset       byte offset of the record in the file
 * @param sequence     its sequence number (every record of one batch has the batch's)
 * @param type         put or delete
 * @param commit       whether it is the last record of its write (a single put or delete, or the last
 *                     operation of a batch); records of a batch whose last record never came are ignored
 *                     when a store opens
 * @param keyLength    key length in bytes
 * @param valueLength  value length in bytes (0 for a delete)
 * @param storedCrc    the CRC32C stored in the record
 * @param crcOk        whether {@code storedCrc} matches the record's bytes
 * @param key          a copy of the key (whole)
 * @param valuePrefix  a copy of the first bytes of the value, at most the number the dump was asked for
 * @param expiresAt    when the put expires, or null if it does not (format version 2)
 */
public record RecordInfo(long offset, long sequence, Type type, boolean commit, int keyLength,
    int valueLength, int storedCrc, boolean crcOk, byte[] key, byte[] valuePrefix, java.time.Instant expiresAt) {

  /** The kinds of record the format has. */
  public enum Type {
    /** A key's value. */
    PUT,
    /** A tombstone: the key was deleted. */
    DELETE
  }
}
