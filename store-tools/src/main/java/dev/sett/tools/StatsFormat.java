package dev.sett.tools;

import dev.sett.api.StoreStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints a {@link StoreStats} as an aligned table for people or as JSON for programs. */
final class StatsFormat {
  private StatsFormat() {
  }

  /**
   * An aligned table, one figure per line: a label, the number, and for byte counts the same in
   * binary units.
   */
  static void printTable(PrintWriter out, StoreStats s, String indent) {
    long data = s.dataBytes();
    new TextTable("LRL")
        .row("segments", count(s.segmentCount()), "")
        .row("disk size", count(s.diskBytes()), bytes(s.diskBytes(), ""))
        .row("data written", count(data), bytes(data, ""))
        .row("live keys", count(s.liveKeys()), "")
        .row("live data", count(s.liveBytes()), bytes(s.liveBytes(), ""))
        .row("dead data", count(s.deadBytes()), bytes(s.deadBytes(), data > 0
            ? String.format(Locale.ROOT, "%.1f%% of data written", 100.0 * s.deadBytes() / data) : ""))
        .row("last sequence", count(s.lastSequence()), "")
        .row("index memory", count(s.indexBytes()), bytes(s.indexBytes(), "estimate"))
        .row("open snapshots", count(s.openSnapshots()), "")
        .print(out, indent);
  }

  /**
   * A JSON object whose field names are the {@link StoreStats} component names (stable: scripts rely
   * on them), plus {@code directory}. Numbers are plain JSON integers; strings are ASCII, as in all
   * JSON that sett prints (see {@link Json}).
   */
  static String json(Path directory, StoreStats s) {
    return "{\n"
        + "  \"directory\": " + Json.quoteAscii(directory.toString()) + ",\n"
        + "  \"segmentCount\": " + s.segmentCount() + ",\n"
        + "  \"diskBytes\": " + s.diskBytes() + ",\n"
        + "  \"dataBytes\": " + s.dataBytes() + ",\n"
        + "  \"liveKeys\": " + s.liveKeys() + ",\n"
        + "  \"liveBytes\": " + s.liveBytes() + ",\n"
        + "  \"deadBytes\": " + s.deadBytes() + ",\n"
        + "  \"lastSequence\": " + s.lastSequence() + ",\n"
        + "  \"indexBytes\": " + s.indexBytes() + ",\n"
        + "  \"openSnapshots\": " + s.openSnapshots() + "\n"
        + "}";
  }

  /** The unit column of a byte count: "bytes (192.0 MiB, note)". */
  private static String bytes(long n, String note) {
    String extra = n >= 1024 ? size(n) : "";
    if (!note.isEmpty()) {
      extra = extra.isEmpty() ? note : extra + ", " + note;
    }
    return extra.isEmpty() ? "bytes" : "bytes (" + extra + ")";
  }

  /** {@code 1234567} as {@code "1,234,567"}, the same in every locale. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A byte count in binary units with one decimal: {@code "192.0 MiB"}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
