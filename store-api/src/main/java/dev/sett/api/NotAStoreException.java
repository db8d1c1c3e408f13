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

  public NotAStoreException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** The directory that was refused. */
  public Path directory() {
    return directory;
  }
}
