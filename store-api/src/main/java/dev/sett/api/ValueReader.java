package dev.sett.api;

/**
 * Reads a value in place, inside {@link Store#read(byte[], ValueReader)}. The view is valid only
 * during the call and only on the calling thread; copy out what must outlive it.
 *
 * @param <R> what the reader makes of the value
 */
@FunctionalInterface
public interface ValueReader<R> {
  /**
   * Reads a value.
   *
   * @param value the value in place, valid only during the call
   * @return what {@link Store#read(byte[], ValueReader)} returns
   */
  R read(ByteView value);
}
