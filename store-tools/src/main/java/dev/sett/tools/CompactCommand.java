package dev.sett.tools;

import dev.sett.api.CompactionResult;
import dev.sett.api.Store;
import dev.sett.api.SyncMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett compact DIR}: reclaims the space of dead records now. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    header = "Reclaims the space of overwritten and deleted records now (writes; --dry-run reads only).",
    description = {
        "Runs compaction on the store in DIR: the segments whose dead share crosses the default"
            + " thresholds (with --force: every segment holding any dead record) have their live"
            + " records copied forward and are deleted.",
        "--dry-run opens the store read-only and only lists the segments a run would take.",
        "With --json: one object (dryRun, segments or segmentsCompacted, bytesReclaimed, recordsCopied,"
            + " bytesCopied, recordsDropped, tombstonesDropped, millis)."})
final class CompactCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Option(names = "--force", description = "Also take segments below the thresholds that hold any dead record.")
  boolean force;

  @Option(names = "--dry-run", description = "Only list the segments a run would take; change nothing.")
  boolean dryRun;

  @Mixin
  SharedOptions.JsonOutput json;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Override
  public Integer call() {
    Path abs = dir.toAbsolutePath().normalize();
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      List<Integer> plan;
      try (Store store = StoreAccess.openReadOnly(abs)) {
        plan = store.compactionPlan(force);
      }
      if (json.enabled) {
        out.println(Json.object(true).add("dryRun", true).add("segments", plan.toString()));
      } else {
        out.println(plan.isEmpty() ? "Nothing to compact in " + abs + (force ? "" : " (below the thresholds; --force takes"
            + " every segment with dead records)") : "A compaction of " + abs + " would take segment(s) " + plan);
      }
      out.flush();
      return SettCli.EXIT_OK;
    }
    CompactionResult r;
    Progress progress = noProgress.progress();
    try (Store store = StoreAccess.openWritable(abs, SyncMode.NONE, false)) {
      progress.startIndefinite("compacting " + abs.getFileName());
      r = store.compact(force);
      progress.finish();
    } finally {
      progress.abandon();
    }
    if (json.enabled) {
      out.println(Json.object(true).add("dryRun", false).add("segmentsCompacted", r.segmentsCompacted())
          .add("bytesReclaimed", r.bytesReclaimed()).add("recordsCopied", r.recordsCopied())
          .add("bytesCopied", r.bytesCopied()).add("recordsDropped", r.recordsDropped())
          .add("tombstonesDropped", r.tombstonesDropped()).add("expiredDropped", r.expiredDropped())
          .add("millis", r.durationNanos() / 1_000_000));
    } else if (r.segmentsCompacted() == 0) {
      out.println("Nothing to compact in " + abs + (force ? "" : " (below the thresholds; --force takes every"
          + " segment with dead records)"));
    } else {
      out.println("Compacted " + r.segmentsCompacted() + " segment(s) of " + abs + " in " + r.durationNanos() / 1_000_000
          + " ms: " + r.bytesReclaimed() + " bytes reclaimed, " + r.recordsCopied() + " records copied ("
          + r.bytesCopied() + " bytes), " + r.recordsDropped() + " dropped, " + r.tombstonesDropped()
          + " tombstones dropped");
    }
    out.flush();
    return SettCli.EXIT_OK;
  }
}
