package dev.sett.ycsb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

/**
 * How {@link RecordCodec} reads an encoded record where it lies: in a {@code byte[]} (RocksDB), a
 * Sett {@code ByteView} or an Agrona {@code DirectBuffer} (lmdbjava). One stateless instance per
 * kind of holder, so decoding allocates nothing for the access itself.
 *
 * <p>Implementations are stateless and thread-safe; the holder they are given must stay valid for
 * the duration of each call.
 *
 * @param <T> what holds the bytes
 */
interface ByteAccess<T> {

  /** Reads plain arrays; big-endian, as {@link RecordCodec} writes. */
  ByteAccess<byte[]> ARRAY = new ByteAccess<>() {
    private final VarHandle ints = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    @Override
    public int size(byte[] bytes) {
      return bytes.length;
    }

    @Override
    public int getInt(byte[] bytes, int index) {
      return (int) ints.get(bytes, index);
    }

    @Override
    public void copyTo(byte[] bytes, int index, byte[] dst, int dstOffset, int length) {
      System.arraycopy(bytes, index, dst, dstOffset, length);
    }

    /** No copy: the array a store returned belongs to the caller, and nothing else writes to it. */
    @Override
    public ByteIterator value(byte[] bytes, int index, int length) {
      return new ByteArrayByteIterator(bytes, index, length);
    }
  };

  /**
   * The number of bytes held.
   *
   * @param bytes the holder
   * @return its size in bytes
   */
  int size(T bytes);

  /**
   * The big-endian int at {@code index}.
   *
   * @param bytes the holder
   * @param index offset of the int's first byte
   * @return the int
   */
  int getInt(T bytes, int index);

  /**
   * Copies {@code length} bytes from {@code index} into {@code dst}.
   *
   * @param bytes the holder
   * @param index offset of the first byte to copy
   * @param dst where the bytes go
   * @param dstOffset offset in {@code dst} of the first byte
   * @param length how many bytes to copy
   */
  void copyTo(T bytes, int index, byte[] dst, int dstOffset, int length);

  /**
   * A field value for YCSB that stays valid after the holder does (a view ends with its
   * transaction or callback): by default a fresh copy.
   *
   * @param bytes the holder
   * @param index offset of the value's first byte
   * @param length the value's length
   * @return an iterator over the value's bytes, owned by the caller
   */
  default ByteIterator value(T bytes, int index, int length) {
    byte[] copy = new byte[length];
    copyTo(bytes, index, copy, 0, length);
    return new ByteArrayByteIterator(copy);
  }
}
