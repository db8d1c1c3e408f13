package dev.sett.api;

import java.nio.file.Path;

/**
 * Another handle, in this process or another, already has the store directory open in a mode that
 * excludes this one: one writer at a time, and no writer while read-only handles are open.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class StoreLockedException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  /**
   * An exception for a store directory that another handle holds.
   *
   * @param directory the locked directory
   * @param message who holds it, as far as is known, and what to do
   */
  public StoreLockedException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** {@return the directory that is locked} */
  public Path directory() {
    return directory;
  }
}
