package dev.sett.core;

import java.nio.ByteBuffer;

/**
 * A memory-mapped file region. Offsets are absolute within the region; multi-byte values are
 * little-endian.
 *
 * <p><b>No bounds checks happen here</b> (the mapping library does none either, and an access
 * outside the region corrupts memory or kills the JVM): every caller checks offsets against
 * {@link #size()} first. {@link Segment} is the only caller.
 *
 * <p>Reads are thread-safe; writes must be serialised by the caller. After {@link #release()} no
 * method may be called: the caller's reference counting guarantees that.
 */
interface MappedRegion {
  int size();

  byte readByte(long offset);

  short readShort(long offset);

  int readInt(long offset);

  long readLong(long offset);

  void read(long offset, byte[] dst, int dstOffset, int length);

  void writeByte(long offset, byte value);

  void writeShort(long offset, short value);

  void writeInt(long offset, int value);

  void writeLong(long offset, long value);

  void write(long offset, byte[] src, int srcOffset, int length);

  /** Feeds {@code length} bytes from {@code offset} into {@code crc}, without copying them. */
  void updateCrc(java.util.zip.CRC32C crc, long offset, int length);

  /**
   * A read-only buffer over the whole region whose memory stays mapped for as long as the buffer
   * (or a slice of it) is reachable, independently of {@link #release()}. Buffers handed to users
   * ({@code ByteView.asByteBuffer()}) are built on it, so that no use of one can touch unmapped
   * memory; views themselves read the region inside read epochs and need no second mapping.
   */
  ByteBuffer anchoredReadOnlyBuffer();

  /**
   * Before {@link #release()}: if a read-only buffer ({@link #anchoredReadOnlyBuffer()}) was made,
   * adds its size to {@code into} until the garbage collector unmaps it, so that the store can
   * report the disk and address space views still hold. Returns whether there was such a buffer.
   */
  default boolean countRetainedViewBytes(java.util.concurrent.atomic.AtomicLong into) {
    return false;
  }

  /**
   * Drops this process's page table entries for the region (see {@link PageTables}), keeping the
   * mapping and every byte: the next access faults the page back in. Called before forcing a file
   * that will not be written through this mapping again. Nothing where that is not possible.
   */
  default void dropPageTableEntries() {
  }

  /** Unmaps the region. Idempotent. */
  void release();
}
