package dev.sett.api;

/**
 * The store, snapshot, cursor or view was used after it was closed (or, for a view handed to a
 * callback, after the callback returned). Nothing was read or written.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class StoreClosedException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a use after close.
   *
   * @param message what was closed, and what to do instead
   */
  public StoreClosedException(String message) {
    super(message);
  }
}
