package dev.sett.core;

import dev.sett.api.StoreClosedException;
import java.nio.ByteBuffer;

/**
 * The view passed to one read callback: it reads the segment's Chronicle mapping directly, and is
 * valid only for the duration of that callback, on its thread. Each callback gets a view of its
 * own (one small object, never the bytes): a view kept and used later, in another callback or on
 * another thread, throws instead of reading memory that may have been unmapped or, worse, silently
 * reading another key's value, which a reused view would do.
 */
final class CallbackView extends AbstractByteView {
  private final Thread owner = Thread.currentThread();
  private final Segment segment;
  private final int offset;
  private final int length;
  private MappedRegion region;

  CallbackView(Segment segment, int offset, int length) {
    this.segment = segment;
    this.region = segment.region();
    this.offset = offset;
    this.length = length;
  }

  /** The callback returned: from now on every use throws. */
  void end() {
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
