package dev.sett.core;

import java.nio.ByteBuffer;

/**
 * A zero-copy view returned by a snapshot or cursor: a window onto the segment's JDK read-only
 * mapping. That mapping is released only by the garbage collector once no buffer references it, so
 * even a use that races with the snapshot's close reads the original bytes rather than unmapped
 * memory; the closed check turns every use after close into an exception.
 *
 * <p>Immutable; may be read from several threads.
 */
final class SnapshotView extends AbstractByteView {
  private final SettSnapshot owner;
  private final ByteBuffer mapping;
  private final int offset;
  private final int length;

  SnapshotView(SettSnapshot owner, ByteBuffer mapping, int offset, int length) {
    this.owner = owner;
    this.mapping = mapping;
    this.offset = offset;
    this.length = length;
  }

  @Override
  void checkUsable() {
    owner.checkNotClosed();
  }

  @Override
  int length() {
    return length;
  }

  @Override
  byte rawByte(int index) {
    return mapping.get(offset + index);
  }

  @Override
  int rawInt(int index) {
    return mapping.getInt(offset + index);
  }

  @Override
  long rawLong(int index) {
    return mapping.getLong(offset + index);
  }

  @Override
  void rawCopy(int index, byte[] dst, int dstOffset, int len) {
    mapping.get(offset + index, dst, dstOffset, len);
  }

  @Override
  ByteBuffer rawBuffer() {
    return mapping.slice(offset, length);
  }
}
