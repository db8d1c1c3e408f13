package dev.sett.api;

/**
 * An argument was rejected before anything was written: a null or empty key, a key or value over
 * its configured limit, an option out of range. The message names the argument and the limit.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class InvalidInputException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception whose message names the argument and the limit it broke.
   *
   * @param message what was rejected, and why
   */
  public InvalidInputException(String message) {
    super(message);
  }
}
