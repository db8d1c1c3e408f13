package dev.sett.core;

/**
 * The on-disk layout of a segment file, format version {@value #VERSION}. All integers are
 * little-endian (the native order of the platforms Sett maps files on).
 *
 * <p><b>Versions.</b> Version 2 added expiring records (flag bit 1, EXPIRES, and the expiry after
 * the value); a version-1 segment is laid out the same way and simply never has that flag, so both
 * are read by the same code, and a record flagged EXPIRES in a version-1 segment is damage. New
 * segments are written as version 2. A store written by version 1 is upgraded as it is used: a
 * writable open seals its version-1 active segment and writes on in a new version-2 one, and
 * compaction rewrites old records into version-2 segments; the store's marker file
 * ({@code sett.store}) then says {@code format-version=2}, so that an older Sett refuses it instead
 * of misreading it.
 *
 * <p>A segment file {@code NNNNNNNNNN.seg} (decimal id, ten digits) is created at its full size,
 * filled with zeros through a {@code FileChannel} (so that a full disk is reported when the segment
 * is created, never as a SIGBUS while writing through the mapping), and then appended to through the
 * mapping (or, for a large batch, with positional writes). Zeros after the last record mark the end of the data. The segments of one store differ
 * in size: a store starts small and grows its new segments up to the configured size
 * ({@link SegmentSizing}); each header records its file's size.
 *
 * <h2>Segment header (64 bytes, at offset 0)</h2>
 * <table>
 *   <caption>segment header</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic {@code "SETTSEG\0"}</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version ({@value #VERSION}; 1 is still read)</td></tr>
 *   <tr><td>12</td><td>4</td><td>segment id (matches the file name)</td></tr>
 *   <tr><td>16</td><td>4</td><td>segment size in bytes (the file's length)</td></tr>
 *   <tr><td>20</td><td>4</td><td>flags: bit 0 SEALED, set once the segment stopped taking appends
 *       and its data was forced (bytes 20..63 rewritten in place, then forced); damage in a sealed
 *       segment is always reported, never taken for a torn write. A power cut during that rewrite
 *       can tear bytes 20..63 only: a header that fails its CRC with bytes 0..19 intact (magic,
 *       a known version, the file's id, the file's length) is read as sealed, its segment scanned
 *       and the header written again. Other bits zero</td></tr>
 *   <tr><td>24</td><td>8</td><td>creation time, milliseconds since the epoch</td></tr>
 *   <tr><td>32</td><td>28</td><td>reserved, zero</td></tr>
 *   <tr><td>60</td><td>4</td><td>CRC32C of bytes 0..59</td></tr>
 * </table>
 *
 * <h2>Record (from offset 64; each record starts on an 8-byte boundary)</h2>
 * <table>
 *   <caption>record</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>4</td><td>CRC32C of bytes 4 .. end of value (header rest, key, value)</td></tr>
 *   <tr><td>4</td><td>1</td><td>type: 1 put, 2 delete (tombstone); 0 never occurs and marks the end</td></tr>
 *   <tr><td>5</td><td>1</td><td>flags: bit 0 COMMIT, set on the last record of a write (a single put
 *       or delete, or the last operation of a batch); records of an uncommitted batch are ignored.
 *       Bit 1 EXPIRES (version 2, puts only): the record carries an expiry after its value. Other
 *       bits zero</td></tr>
 *   <tr><td>6</td><td>2</td><td>key length (1..65535)</td></tr>
 *   <tr><td>8</td><td>4</td><td>body length: the value's length, plus 8 if EXPIRES is set (0 for a
 *       delete)</td></tr>
 *   <tr><td>12</td><td>4</td><td>durable end: how far this segment was known to be forced to disk
 *       when the record was written. Recovery uses it to tell a torn, never-synced tail (cut) from
 *       damage to data that had been synced (reported)</td></tr>
 *   <tr><td>16</td><td>8</td><td>sequence number; every record of one batch has the batch's number</td></tr>
 *   <tr><td>24</td><td>8</td><td>position of the previous version of this key (segment id &lt;&lt; 32 |
 *       offset), or 0; snapshots follow it to older versions</td></tr>
 *   <tr><td>32</td><td>k</td><td>key</td></tr>
 *   <tr><td>32+k</td><td>v</td><td>value</td></tr>
 *   <tr><td>32+k+v</td><td>8</td><td>only if EXPIRES: when the record expires, milliseconds since
 *       the epoch (UTC); from then on reads treat the key as absent and compaction may drop the
 *       record. Covered by the CRC</td></tr>
 *   <tr><td>32+k+b</td><td>0..7</td><td>zero padding to the next 8-byte boundary (b is the body
 *       length)</td></tr>
 * </table>
 */
final class SegmentFormat {
  static final int VERSION = 2;
  /** The first version, still read: no record has the EXPIRES flag. */
  static final int VERSION_1 = 1;
  /** "SETTSEG\0" read as a little-endian long. */
  static final long MAGIC = 0x00474553_54544553L;

  static final int HEADER_SIZE = 64;
  static final int H_MAGIC = 0;
  static final int H_VERSION = 8;
  static final int H_ID = 12;
  static final int H_SIZE = 16;
  static final int H_FLAGS = 20;
  static final int H_CREATED = 24;
  static final int H_CRC = 60;
  static final int FLAG_SEALED = 1;

  static final int RECORD_HEADER_SIZE = 32;
  static final int R_CRC = 0;
  static final int R_TYPE = 4;
  static final int R_FLAGS = 5;
  static final int R_KEY_LENGTH = 6;
  static final int R_VALUE_LENGTH = 8;
  static final int R_DURABLE_END = 12;
  static final int R_SEQUENCE = 16;
  static final int R_PREVIOUS = 24;
  static final int R_KEY = 32;

  static final byte TYPE_PUT = 1;
  static final byte TYPE_DELETE = 2;
  static final byte FLAG_COMMIT = 1;
  static final byte FLAG_EXPIRES = 2;
  /** Bytes of the expiry an EXPIRES record carries after its value. */
  static final int EXPIRY_SIZE = 8;
  /** The expiry of a record that does not expire. */
  static final long NEVER = 0;

  static final String SEGMENT_SUFFIX = ".seg";
  static final String HINT_SUFFIX = ".hint";
  static final String TEMP_SUFFIX = ".tmp";

  private SegmentFormat() {
  }

  /** Bytes a record takes in the segment, padding included, from its key and body lengths. */
  static int recordSize(int keyLength, int bodyLength) {
    return align8(RECORD_HEADER_SIZE + keyLength + bodyLength);
  }

  /** Bytes a put of a {@code valueLength}-byte value takes, with an expiry or without. */
  static int recordSize(int keyLength, int valueLength, boolean expires) {
    return recordSize(keyLength, expires ? valueLength + EXPIRY_SIZE : valueLength);
  }

  static int align8(int n) {
    return (n + 7) & ~7;
  }

  static String segmentFileName(int id) {
    return String.format("%010d%s", id, SEGMENT_SUFFIX);
  }

  static String hintFileName(int id) {
    return String.format("%010d%s", id, HINT_SUFFIX);
  }

  /** The id in a segment or hint file name, or -1 if the name is not one. */
  static int idOf(String fileName, String suffix) {
    if (!fileName.endsWith(suffix) || fileName.length() != 10 + suffix.length()) {
      return -1;
    }
    int id = 0;
    for (int i = 0; i < 10; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      long next = id * 10L + (c - '0');
      if (next > Integer.MAX_VALUE) {
        return -1;
      }
      id = (int) next;
    }
    return id;
  }
}
