package dev.sett.core;

import dev.sett.api.ByteView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * The checks every view makes before it touches memory: that it may still be used (lifetime), and
 * that the bytes asked for lie inside it (bounds). Subclasses supply the raw reads.
 */
abstract class AbstractByteView implements ByteView {

  /** Throws if the view may no longer be used. */
  abstract void checkUsable();

  abstract int length();

  abstract byte rawByte(int index);

  abstract int rawInt(int index);

  abstract long rawLong(int index);

  abstract void rawCopy(int index, byte[] dst, int dstOffset, int length);

  /** A read-only big-endian buffer over exactly the view's bytes. */
  abstract ByteBuffer rawBuffer();

  @Override
  public final int size() {
    checkUsable();
    return length();
  }

  @Override
  public final byte getByte(int index) {
    checkUsable();
    Objects.checkIndex(index, length());
    return rawByte(index);
  }

  @Override
  public final int getInt(int index) {
    checkUsable();
    Objects.checkFromIndexSize(index, 4, length());
    return rawInt(index);
  }

  @Override
  public final long getLong(int index) {
    checkUsable();
    Objects.checkFromIndexSize(index, 8, length());
    return rawLong(index);
  }

  @Override
  public final void copyTo(int index, byte[] dst, int dstOffset, int length) {
    checkUsable();
    Objects.checkFromIndexSize(index, length, length());
    Objects.checkFromIndexSize(dstOffset, length, dst.length);
    rawCopy(index, dst, dstOffset, length);
  }

  @Override
  public final void copyTo(ByteBuffer dst) {
    checkUsable();
    if (dst.hasArray() && !dst.isReadOnly()) {
      // Straight into the heap array: no buffer over the mapping is needed for that.
      int n = length();
      if (dst.remaining() < n) {
        throw new java.nio.BufferOverflowException();
      }
      rawCopy(0, dst.array(), dst.arrayOffset() + dst.position(), n);
      dst.position(dst.position() + n);
      return;
    }
    dst.put(rawBuffer());
  }

  @Override
  public final byte[] toByteArray() {
    checkUsable();
    byte[] out = new byte[length()];
    rawCopy(0, out, 0, out.length);
    return out;
  }

  @Override
  public final ByteBuffer asByteBuffer() {
    checkUsable();
    return rawBuffer();
  }

  @Override
  public final long transferTo(WritableByteChannel channel) {
    checkUsable();
    ByteBuffer b = rawBuffer();
    try {
      while (b.hasRemaining()) {
        channel.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing a view to " + channel + " failed", e);
    }
    return length();
  }

  @Override
  public final boolean contentEquals(byte[] other) {
    checkUsable();
    if (other == null || other.length != length()) {
      return false;
    }
    // Compared a chunk at a time through the raw reads, so that no buffer over the mapping is made.
    byte[] chunk = new byte[Math.min(other.length, 512)];
    for (int i = 0; i < other.length; i += chunk.length) {
      int n = Math.min(chunk.length, other.length - i);
      rawCopy(i, chunk, 0, n);
      if (!java.util.Arrays.equals(chunk, 0, n, other, i, i + n)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    int n = length();
    byte[] head = new byte[Math.min(n, 32)];
    try {
      checkUsable();
      rawCopy(0, head, 0, head.length);
    } catch (RuntimeException e) {
      return getClass().getSimpleName() + "[" + n + " bytes, no longer usable]";
    }
    return getClass().getSimpleName() + "[" + n + " bytes: " + Bytes.hex(head, 32) + (n > 32 ? "...]" : "]");
  }
}
