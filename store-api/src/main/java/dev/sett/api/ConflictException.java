package dev.sett.api;

/**
 * A transaction could not commit: another write, committed after the transaction's snapshot, changed
 * a key the transaction read (or found absent), or a key inside a range it scanned. Nothing of the
 * transaction was written. Run the transaction again from the start, on a new snapshot;
 * {@link Store#update} and {@link Store#compute} do that for you, a bounded number of times.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class ConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed commit.
   *
   * @param message what conflicted, and what to do
   */
  public ConflictException(String message) {
    super(message);
  }

  /**
   * An exception for a transaction given up on after several conflicts.
   *
   * @param message how often it was tried
   * @param cause the last conflict
   */
  public ConflictException(String message, ConflictException cause) {
    super(message, cause);
  }
}
