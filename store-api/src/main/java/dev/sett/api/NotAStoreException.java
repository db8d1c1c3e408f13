package dev.sett.api;

import java.nio.file.Path;

/**
 * The directory holds files that Sett did not write, so opening it as a store could destroy someone
 * else's data. Nothing in the directory was changed.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class NotAStoreException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  /**
   * An exception for a directory that was refused.
   *
   * @param directory the directory
   * @param message which files made it refuse, and what to do
   */
  public NotAStoreException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** {@return the directory that was refused} */
  public Path directory() {
    return directory;
  }
}
