package dev.sett.api;

/**
 * The root of every exception Sett throws on purpose. Unchecked, so that callers handle it where
 * they can do something about it; the subclasses say what went wrong when a caller must tell cases
 * apart.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message.
   *
   * @param message what went wrong
   */
  public StoreException(String message) {
    super(message);
  }

  /**
   * An exception with a message and the failure that caused it.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
