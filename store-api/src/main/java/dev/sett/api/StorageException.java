package dev.sett.api;

/**
 * The file system failed an operation (an I/O error, a full disk, a failed fsync). The cause holds
 * the underlying error.
 *
 * <p>After a failure that may have left the files in an unknown state (a failed fsync or a failed
 * write to the active segment), the store handle stops accepting writes and every later write
 * throws this exception again: close the store and reopen it, which recovers from what is on disk.
 * A failure to create a new segment (for example a full disk) leaves the store readable and
 * writable once space is freed.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class StorageException extends StoreException {
  private static final long serialVersionUID = 1L;
  /** Whether the file system reported that it ran out of space. */
  private final boolean diskFull;

  /**
   * An exception for a failed file system operation.
   *
   * @param message what Sett was doing, and on which file
   * @param cause the underlying error
   * @param diskFull whether the file system reported that it ran out of space
   */
  public StorageException(String message, Throwable cause, boolean diskFull) {
    super(message, cause);
    this.diskFull = diskFull;
  }

  /** {@return whether the file system reported that it ran out of space} */
  public boolean diskFull() {
    return diskFull;
  }
}
