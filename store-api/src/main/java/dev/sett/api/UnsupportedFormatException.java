package dev.sett.api;

import java.nio.file.Path;

/**
 * A file was written in an on-disk format version this version of Sett cannot read (usually by a
 * newer Sett). Nothing was changed; open the store with the version that wrote it.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class UnsupportedFormatException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  /** The format version found in the file. */
  private final int version;

  /**
   * An exception for a file whose format version this Sett cannot read.
   *
   * @param file the file
   * @param version the format version found in it
   * @param supported the format version this Sett reads
   */
  public UnsupportedFormatException(Path file, int version, int supported) {
    super(file + " has format version " + version + ", but this Sett reads only version "
        + supported + "; open it with the Sett release that wrote it");
    this.file = file;
    this.version = version;
  }

  /** {@return the file whose version was refused} */
  public Path file() {
    return file;
  }

  /** {@return the version found in the file} */
  public int version() {
    return version;
  }
}
