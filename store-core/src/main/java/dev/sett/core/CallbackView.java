package dev.sett.core;

import dev.sett.api.StoreClosedException;
import java.nio.ByteBuffer;

/**
 * The reusable view passed to read callbacks: it reads the pinned segment's Chronicle mapping
 * directly and allocates nothing. Bound to one record for the duration of one callback on one
 * thread; any use outside that (kept and used later, or from another thread) throws instead of
 * touching memory that may have been unmapped or reused.
 */
final class CallbackView extends AbstractByteView {
  private final Thread owner = Thread.currentThread();
  private MappedRegion region;
  private Segment segment;
  private int offset;
  private int length;

  void bind(Segment segment, int offset, int length) {
    this.segment = segment;
    this.region = segment.region();
    this.offset = offset;
    this.length = length;
  }

  void unbind() {
    this.segment = null;
    this.region = null;
  }

  @Override
  void checkUsable() {
    if (region == null || Thread.currentThread() != owner) {
      throw new StoreClosedException("this view was handed to a read callback and is valid only inside"
          + " that callback, on its thread; copy what you need (toByteArray) before returning");
    }
  }

  @Override
  int length() {
    return length;
  }

  @Override
  byte rawByte(int index) {
    return region.readByte(offset + (long) index);
  }

  @Override
  int rawInt(int index) {
    return Integer.reverseBytes(region.readInt(offset + (long) index));
  }

  @Override
  long rawLong(int index) {
    return Long.reverseBytes(region.readLong(offset + (long) index));
  }

  @Override
  void rawCopy(int index, byte[] dst, int dstOffset, int len) {
    region.read(offset + (long) index, dst, dstOffset, len);
  }

  @Override
  ByteBuffer rawBuffer() {
    return segment.region().anchoredReadOnlyBuffer().slice(offset, length);
  }
}
