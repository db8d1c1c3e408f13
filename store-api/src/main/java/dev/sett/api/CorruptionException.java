package dev.sett.api;

import java.nio.file.Path;

/**
 * Stored bytes failed a check: a record or file checksum, framing, or a header. Carries the file and
 * the byte offset of the first damage found, so that an operator can inspect it with
 * {@code sett dump-segment} or cut it with {@code sett repair}.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class CorruptionException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  /** Byte offset of the first damage found. */
  private final long offset;
  /** What is wrong, in words. */
  private final String problem;

  /**
   * An exception for damage at {@code offset} of {@code file}; the message adds how to inspect it.
   *
   * @param file the damaged file
   * @param offset byte offset of the first damage found
   * @param problem what is wrong, in words
   */
  public CorruptionException(Path file, long offset, String problem) {
    super(problem + " in " + file + " at offset " + offset
        + "; run 'sett verify' on the store directory to list all damage, or reopen with"
        + " StoreOptions.builder().salvage(true) to drop the damaged records");
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }

  /** {@return what is wrong, without the file, offset or advice} For tools that phrase their own. */
  public String problem() {
    return problem;
  }

  /** {@return the damaged file} */
  public Path file() {
    return file;
  }

  /** {@return the byte offset of the first damage found in {@link #file()}} */
  public long offset() {
    return offset;
  }
}
