package dev.sett.tools;

import dev.sett.api.SegmentStats;
import dev.sett.api.StoreStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett segments DIR}: one row per segment file (read-only). */
@Command(
    name = "segments",
    mixinStandardHelpOptions = true,
    header = "Lists the segment files of a store, one row each (read-only).",
    description = {
        "One row per segment of the store in DIR: id, file size, data written, records, dead records,"
            + " live share of the data, tombstones that still shadow something, whether it is the"
            + " active (appended-to) segment, and whether its hint file exists (sett verify checks hints).",
        "Opens the store read-only.",
        "With --json: one object per line with the members id, sizeBytes, dataBytes, records,"
            + " deadRecords, liveBytes, deadBytes, tombstones, tombstoneBytes, active, hint."})
final class SegmentsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    Path abs = dir.toAbsolutePath().normalize();
    StoreStats stats = StoreAccess.readStats(abs);
    PrintWriter out = spec.commandLine().getOut();
    TextTable table = new TextTable("RRRRRRRLL")
        .header("ID", "SIZE", "DATA", "RECORDS", "DEAD", "LIVE %", "TOMBSTONES", "STATE", "HINT");
    for (SegmentStats s : stats.segments()) {
      boolean hint = Files.exists(abs.resolve(String.format("%010d.hint", s.id())));
      if (json.enabled) {
        out.println(Json.object(true).add("id", s.id()).add("sizeBytes", s.sizeBytes()).add("dataBytes", s.dataBytes())
            .add("records", s.records()).add("deadRecords", s.deadRecords()).add("liveBytes", s.liveBytes())
            .add("deadBytes", s.deadBytes()).add("tombstones", s.tombstones()).add("tombstoneBytes", s.tombstoneBytes())
            .add("active", s.active()).add("hint", hint));
      } else {
        String live = s.dataBytes() == 0 ? "-"
            : String.format(Locale.ROOT, "%.1f", 100.0 * s.liveBytes() / s.dataBytes());
        table.row(Long.toString(s.id()), String.format(Locale.ROOT, "%,d", s.sizeBytes()),
            String.format(Locale.ROOT, "%,d", s.dataBytes()), String.format(Locale.ROOT, "%,d", s.records()),
            String.format(Locale.ROOT, "%,d", s.deadRecords()), live, Long.toString(s.tombstones()),
            s.active() ? "active" : "sealed", hint ? "yes" : "no");
      }
    }
    if (!json.enabled) {
      out.println("Store " + abs + ": " + stats.segmentCount() + " segment(s)");
      table.print(out, "  ");
    }
    out.flush();
    return SettCli.EXIT_OK;
  }
}
