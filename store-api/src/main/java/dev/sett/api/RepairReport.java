package dev.sett.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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

  /**
   * A report; the lists are copied.
   *
   * @param directory the store directory
   * @param dryRun whether nothing was changed
   * @param segments segment files examined
   * @param actions each change made (or that would be made), in order
   * @param dropped every range of records that the repair dropped (or would drop)
   * @param reportFile the text report written into the store directory, or null
   */
  public RepairReport {
    actions = List.copyOf(actions);
    dropped = List.copyOf(dropped);
  }

  /** {@return whether the store needed nothing} */
  public boolean nothingToDo() {
    return actions.isEmpty();
  }

  /**
   * {@return the report as text, several lines} It is what {@code sett repair} prints and the report
   * file holds.
   */
  public String describe() {
    RepairReport r = this;
    StringBuilder b = new StringBuilder();
    b.append(r.dryRun() ? "Sett repair (dry run: nothing was changed) of " : "Sett repair of ")
        .append(r.directory()).append('\n');
    b.append(r.segments()).append(" segment file(s) examined; ").append(r.actions().size())
        .append(r.dryRun() ? " change(s) needed" : " change(s) made").append("; ").append(r.droppedRecords())
        .append(r.dryRun() ? " record(s) would be dropped" : " record(s) dropped").append('\n');
    for (RepairReport.Action a : r.actions()) {
      b.append(r.dryRun() ? "would change " : "changed ").append(a.file().getFileName()).append(": ")
          .append(a.what()).append('\n');
    }
    for (RepairReport.Dropped d : r.dropped()) {
      b.append(r.dryRun() ? "would drop " : "dropped ").append(d.records()).append(" record(s) of ")
          .append(d.file().getFileName()).append(", offsets ").append(d.fromOffset()).append("..")
          .append(d.toOffset()).append(": ").append(d.reason()).append('\n');
      for (byte[] key : d.keys()) {
        b.append("  key ").append(printable(key)).append('\n');
      }
    }
    if (!r.dropped().isEmpty()) {
      b.append("A key whose newest record was dropped reads as its previous value, if an older record of it"
          + " survives, or as absent.\n");
    }
    if (r.nothingToDo()) {
      b.append("Nothing needed repairing.\n");
    }
    return b.toString();
  }

  /** A key as text if it is printable ASCII, else 0x and hex (at most 64 bytes shown). */
  private static String printable(byte[] key) {
    boolean text = key.length > 0;
    for (byte c : key) {
      text &= c >= 0x20 && c < 0x7f;
    }
    if (text) {
      return "\"" + new String(key, StandardCharsets.US_ASCII) + "\"";
    }
    StringBuilder h = new StringBuilder("0x");
    for (byte c : Arrays.copyOf(key, Math.min(key.length, 64))) {
      h.append(String.format("%02x", c));
    }
    return key.length > 64 ? h + "... (" + key.length + " bytes)" : h.toString();
  }

  /** {@return the records dropped, over all ranges} */
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

    /**
     * A dropped range; the list of keys is copied.
     *
     * @param file the segment file
     * @param fromOffset first byte dropped
     * @param toOffset byte after the last one dropped
     * @param records records recognised in the range
     * @param keys the keys of those records that could be read, in file order
     * @param reason why they were dropped
     */
    public Dropped {
      keys = List.copyOf(keys);
    }
  }
}
