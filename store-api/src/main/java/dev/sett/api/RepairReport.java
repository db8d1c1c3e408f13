package dev.sett.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code Sett.repair} did (or, for a dry run, would do) to a store directory, and every record
 * it dropped. Immutable and thread-safe.
 *
 * @param directory   the store directory
 * @param dryRun      whether nothing was changed
 * @param segments    segment files examined
 * @param actions     each change made (or that would be made), in order
 * @param dropped     every range of records that the repair dropped (or would drop)
 * @param reportFile  the text report written into the store directory, or null when nothing was
 *                    changed (a dry run, or a sound store)
 */
public record RepairReport(Path directory, boolean dryRun, int segments, List<Action> actions,
    List<Dropped> dropped, Path reportFile) {

  public RepairReport {
    actions = List.copyOf(actions);
    dropped = List.copyOf(dropped);
  }

  /** Whether the store needed nothing. */
  public boolean nothingToDo() {
    return actions.isEmpty();
  }

  /** Records dropped, over all ranges. */
  public long droppedRecords() {
    long n = 0;
    for (Dropped d : dropped) {
      n += d.records();
    }
    return n;
  }

  /**
   * One change.
   *
   * @param file  the file changed
   * @param what  what was done to it, in words
   */
  public record Action(Path file, String what) {
  }

  /**
   * Records that did not survive: a byte range of a segment file.
   *
   * @param file        the segment file
   * @param fromOffset  first byte dropped
   * @param toOffset    byte after the last one dropped
   * @param records     records recognised in the range (damaged bytes may have hidden more)
   * @param keys        the keys of those records that could be read, in file order; a key read from a
   *                    record whose checksum failed may itself be damaged (the arrays are copies)
   * @param reason      why they were dropped
   */
  public record Dropped(Path file, long fromOffset, long toOffset, int records, List<byte[]> keys,
      String reason) {

    public Dropped {
      keys = List.copyOf(keys);
    }
  }
}
