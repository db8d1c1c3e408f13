package dev.sett.api;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A read-only window onto stored bytes, usually a key or value read in place from a memory-mapped
 * segment file, without copying.
 *
 * <p><b>Lifetime.</b> A view returned by a {@link Snapshot} or a {@link Cursor} is valid until that
 * snapshot is closed; a view passed to a {@link ValueReader} callback only until the callback
 * returns. Any use after that throws {@link StoreClosedException}. A view never crashes the JVM and
 * never shows bytes other than the ones it was created for, even if it is used after its snapshot
 * closed or while another thread closes it.
 *
 * <p><b>Read-only.</b> No method of a view can change stored bytes; {@link #asByteBuffer()} returns
 * a read-only buffer.
 *
 * <p><b>Byte order.</b> Multi-byte reads are big-endian, like {@link ByteBuffer}'s default and
 * {@link java.io.DataInput}.
 *
 * <p><b>Threading.</b> A view from a snapshot may be read by several threads at once. A view passed
 * to a callback may be read only by the thread running the callback.
 */
public interface ByteView {

  /** {@return the number of bytes in the view} */
  int size();

  /**
   * The byte at {@code index}.
   *
   * @param index offset in the view, from 0
   * @return the byte
   * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size())}
   */
  byte getByte(int index);

  /**
   * The big-endian int starting at {@code index}.
   *
   * @param index offset in the view of its first byte
   * @return the int
   * @throws IndexOutOfBoundsException if the four bytes are not all inside the view
   */
  int getInt(int index);

  /**
   * The big-endian long starting at {@code index}.
   *
   * @param index offset in the view of its first byte
   * @return the long
   * @throws IndexOutOfBoundsException if the eight bytes are not all inside the view
   */
  long getLong(int index);

  /**
   * Copies {@code length} bytes starting at {@code index} into {@code dst} at {@code dstOffset}.
   *
   * @param index offset in the view of the first byte to copy
   * @param dst the array to copy into
   * @param dstOffset where in {@code dst} the first byte goes
   * @param length how many bytes to copy
   * @throws IndexOutOfBoundsException if either range is out of bounds
   */
  void copyTo(int index, byte[] dst, int dstOffset, int length);

  /**
   * Copies the whole view into {@code dst} at its position, advancing the position.
   *
   * @param dst the buffer to copy into
   * @throws java.nio.BufferOverflowException if {@code dst} has less room than {@link #size()}
   * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
   */
  void copyTo(ByteBuffer dst);

  /** {@return a new array holding a copy of the view's bytes} */
  byte[] toByteArray();

  /**
   * A read-only buffer over the same bytes, without copying: position 0, limit {@link #size()},
   * big-endian. The buffer itself stays readable even after the snapshot closes (it keeps the file
   * mapping alive until it is garbage collected), but it then only shows the bytes the view was
   * created for; do not hold on to it longer than needed, because it keeps the segment file's disk
   * space from being freed.
   *
   * @return a read-only, big-endian buffer over the view's bytes
   */
  ByteBuffer asByteBuffer();

  /**
   * Writes every byte of the view to {@code channel}, looping until all are written.
   *
   * @param channel where the bytes go
   * @return the number of bytes written, always {@link #size()}
   * @throws java.io.UncheckedIOException if the channel fails
   */
  long transferTo(WritableByteChannel channel);

  /**
   * Whether the view holds exactly the bytes of {@code other}.
   *
   * @param other the bytes to compare with
   * @return true if the lengths and every byte are equal
   */
  boolean contentEquals(byte[] other);
}
