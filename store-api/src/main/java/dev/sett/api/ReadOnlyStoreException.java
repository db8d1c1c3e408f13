package dev.sett.api;

/**
 * A write was attempted on a store opened with {@link StoreOptions.Builder#readOnly(boolean)}.
 * Nothing was written.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class ReadOnlyStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a write refused by a read-only store.
   *
   * @param message which store refused the write
   */
  public ReadOnlyStoreException(String message) {
    super(message);
  }
}
