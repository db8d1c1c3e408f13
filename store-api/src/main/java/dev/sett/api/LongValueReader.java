package dev.sett.api;

/**
 * Reads a value in place and reduces it to a {@code long}, inside
 * {@link Store#readLong(byte[], LongValueReader, long)}: the allocation-free read path for hot loops.
 * The view is valid only during the call and only on the calling thread.
 */
@FunctionalInterface
public interface LongValueReader {
  /**
   * Reduces a value to a {@code long}.
   *
   * @param value the value in place, valid only during the call
   * @return what {@link Store#readLong(byte[], LongValueReader, long)} returns
   */
  long read(ByteView value);
}
