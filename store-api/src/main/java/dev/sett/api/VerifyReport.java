package dev.sett.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code Sett.verify} found: every record's checksum and framing, every hint file against its
 * segment. Immutable and thread-safe.
 *
 * @param segments  segment files checked
 * @param records   records whose checksum was verified
 * @param bytes     bytes of records verified
 * @param problems  damage found, in file order; empty when the store is sound
 */
public record VerifyReport(int segments, long records, long bytes, List<Problem> problems) {

  /**
   * A report; the list of problems is copied.
   *
   * @param segments segment files checked
   * @param records records whose checksum was verified
   * @param bytes bytes of records verified
   * @param problems damage found, in file order
   */
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  /** {@return whether nothing is wrong} */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * One piece of damage.
   *
   * @param file    the damaged file
   * @param offset  byte offset of the damage in it
   * @param problem what is wrong
   */
  public record Problem(Path file, long offset, String problem) {
  }
}
