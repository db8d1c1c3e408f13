package dev.sett.core;

import static dev.sett.core.SegmentFormat.HEADER_SIZE;
import static dev.sett.core.SegmentFormat.H_CRC;
import static dev.sett.core.SegmentFormat.H_CREATED;
import static dev.sett.core.SegmentFormat.H_FLAGS;
import static dev.sett.core.SegmentFormat.H_ID;
import static dev.sett.core.SegmentFormat.H_MAGIC;
import static dev.sett.core.SegmentFormat.H_SIZE;
import static dev.sett.core.SegmentFormat.H_VERSION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** The 64-byte header at the start of every segment file (see {@link SegmentFormat}). */
record SegmentHeader(int version, int id, int size, int flags, long createdMillis) {

  /** A header as a new segment gets it: no flags. */
  SegmentHeader(int version, int id, int size, long createdMillis) {
    this(version, id, size, 0, createdMillis);
  }

  /** Whether the segment was forced to disk after it stopped taking appends. */
  boolean sealed() {
    return (flags & SegmentFormat.FLAG_SEALED) != 0;
  }

  SegmentHeader asSealed() {
    return new SegmentHeader(version, id, size, flags | SegmentFormat.FLAG_SEALED, createdMillis);
  }

  /** Why a header was refused, or null if it is sound. */
  enum Problem { ALL_ZERO, BAD_MAGIC, BAD_CRC, FUTURE_VERSION }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(H_MAGIC, SegmentFormat.MAGIC);
    b.putInt(H_VERSION, version);
    b.putInt(H_ID, id);
    b.putInt(H_SIZE, size);
    b.putInt(H_FLAGS, flags);
    b.putLong(H_CREATED, createdMillis);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, H_CRC);
    b.putInt(H_CRC, (int) crc.getValue());
    return b;
  }

  /** What is wrong with the header bytes in {@code b} (64 bytes, little-endian), or null. */
  static Problem check(ByteBuffer b) {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    boolean zero = true;
    for (int i = 0; i < HEADER_SIZE; i += 8) {
      zero &= b.getLong(i) == 0;
    }
    if (zero) {
      return Problem.ALL_ZERO;
    }
    if (b.getLong(H_MAGIC) != SegmentFormat.MAGIC) {
      return Problem.BAD_MAGIC;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.slice(0, H_CRC));
    if ((int) crc.getValue() != b.getInt(H_CRC)) {
      return Problem.BAD_CRC;
    }
    int version = b.getInt(H_VERSION);
    if (version < SegmentFormat.VERSION_1 || version > SegmentFormat.VERSION) {
      return Problem.FUTURE_VERSION;
    }
    return null;
  }

  /**
   * Whether a header that failed its checksum ({@link Problem#BAD_CRC}) is one whose seal mark a
   * power cut tore. Sealing rewrites only bytes {@value SegmentFormat#H_FLAGS}..63 (the flags, and
   * with them the checksum) in place, after the segment's data was forced; a cut during that write
   * can leave those bytes old, new, zeroed or garbage, and the header then fails its checksum
   * although the segment is whole. The bytes before them (magic, version, id, size) are never
   * rewritten, and are checked here against what is known without the header (the file's name and
   * length), so damage to them is still damage.
   */
  static boolean tornSeal(ByteBuffer raw, int id, long fileLength) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < HEADER_SIZE || b.getLong(H_MAGIC) != SegmentFormat.MAGIC) {
      return false;
    }
    int version = b.getInt(H_VERSION);
    int size = b.getInt(H_SIZE);
    return version >= SegmentFormat.VERSION_1 && version <= SegmentFormat.VERSION && b.getInt(H_ID) == id
        && size == fileLength && size >= HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE
        && size <= dev.sett.api.StoreOptions.MAX_SEGMENT_SIZE;
  }

  /**
   * The header a torn seal mark stood for ({@link #tornSeal}): sealed, with the creation time given
   * (the old one is lost with the torn bytes, and with it the tie to the segment's hint file).
   */
  static SegmentHeader ofTornSeal(ByteBuffer raw, long createdMillis) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return new SegmentHeader(b.getInt(H_VERSION), b.getInt(H_ID), b.getInt(H_SIZE), SegmentFormat.FLAG_SEALED,
        createdMillis);
  }

  /** Decodes a header that {@link #check} accepted. */
  static SegmentHeader decode(ByteBuffer b) {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return new SegmentHeader(b.getInt(H_VERSION), b.getInt(H_ID), b.getInt(H_SIZE), b.getInt(H_FLAGS),
        b.getLong(H_CREATED));
  }

  static int versionOf(ByteBuffer b) {
    return b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(H_VERSION);
  }
}
