package dev.sett.core;

import java.nio.ByteBuffer;

/**
 * A view of bytes on the heap: a transaction's own buffered write, read back before it commits.
 * It follows the lifetime of its transaction like the mapped views beside it, so that code cannot
 * tell (or come to depend on) which of a transaction's values were its own.
 *
 * <p>Immutable; the bytes are the transaction's private copy and are never changed.
 */
final class HeapView extends AbstractByteView {
  private final SettTransaction owner;
  private final byte[] bytes;

  HeapView(SettTransaction owner, byte[] bytes) {
    this.owner = owner;
    this.bytes = bytes;
  }

  @Override
  void checkUsable() {
    owner.checkViewsUsable();
  }

  @Override
  int length() {
    return bytes.length;
  }

  @Override
  byte rawByte(int index) {
    return bytes[index];
  }

  @Override
  int rawInt(int index) {
    return ByteBuffer.wrap(bytes).getInt(index);
  }

  @Override
  long rawLong(int index) {
    return ByteBuffer.wrap(bytes).getLong(index);
  }

  @Override
  void rawCopy(int index, byte[] dst, int dstOffset, int length) {
    System.arraycopy(bytes, index, dst, dstOffset, length);
  }

  @Override
  ByteBuffer rawBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }
}
