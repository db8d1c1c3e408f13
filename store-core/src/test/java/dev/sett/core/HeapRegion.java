package dev.sett.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A {@link MappedRegion} over a heap array, for tests that run the decoders millions of times (the
 * fuzz targets): no file, no mapping, nothing to release. Unlike a real mapping it checks every
 * access, so an out-of-bounds read by the engine shows up as an {@link IndexOutOfBoundsException}
 * instead of a crashed JVM, and fails the test that caused it.
 */
final class HeapRegion implements MappedRegion {
  private final byte[] bytes;
  private final int size;
  private final ByteBuffer buffer;

  /** The first {@code size} bytes of {@code bytes}; writes go to the array. */
  HeapRegion(byte[] bytes, int size) {
    if (size < 0 || size > bytes.length) {
      throw new IllegalArgumentException("size " + size + " of " + bytes.length);
    }
    this.bytes = bytes;
    this.size = size;
    this.buffer = ByteBuffer.wrap(bytes, 0, size).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private int at(long offset, int length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IndexOutOfBoundsException("access at " + offset + " of " + length + " bytes, region size " + size);
    }
    return (int) offset;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public byte readByte(long offset) {
    return buffer.get(at(offset, 1));
  }

  @Override
  public short readShort(long offset) {
    return buffer.getShort(at(offset, 2));
  }

  @Override
  public int readInt(long offset) {
    return buffer.getInt(at(offset, 4));
  }

  @Override
  public long readLong(long offset) {
    return buffer.getLong(at(offset, 8));
  }

  @Override
  public void read(long offset, byte[] dst, int dstOffset, int length) {
    System.arraycopy(bytes, at(offset, length), dst, dstOffset, length);
  }

  @Override
  public void writeByte(long offset, byte value) {
    buffer.put(at(offset, 1), value);
  }

  @Override
  public void writeShort(long offset, short value) {
    buffer.putShort(at(offset, 2), value);
  }

  @Override
  public void writeInt(long offset, int value) {
    buffer.putInt(at(offset, 4), value);
  }

  @Override
  public void writeLong(long offset, long value) {
    buffer.putLong(at(offset, 8), value);
  }

  @Override
  public void write(long offset, byte[] src, int srcOffset, int length) {
    System.arraycopy(src, srcOffset, bytes, at(offset, length), length);
  }

  @Override
  public void updateCrc(CRC32C crc, long offset, int length) {
    crc.update(bytes, at(offset, length), length);
  }

  @Override
  public ByteBuffer anchoredReadOnlyBuffer() {
    return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void release() {
    // Nothing is mapped.
  }
}
