package dev.sett.tools;

import dev.sett.api.RepairReport;
import dev.sett.core.Sett;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett repair DIR}: makes a damaged store open and verify again, and reports what it dropped. */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    header = "Repairs a damaged store and reports every record it drops (changes the store).",
    description = {
        "Cuts a damaged (torn) tail; copies the sound records of a segment damaged in the middle into a"
            + " new file that replaces it atomically; rebuilds a damaged segment header from the file's"
            + " name and length; rebuilds hint files that do not match their segment; deletes leftover"
            + " temporary files and hint files without a segment. A write that lost any record is dropped"
            + " whole, as an open would. Afterwards the store opens and 'sett verify' passes.",
        "Every record dropped is listed (file, offset range, count, keys) on stdout and in a report file"
            + " repair-<time>.txt written into DIR; nothing is dropped silently. Keep a copy of DIR first"
            + " ('sett backup' cannot copy a damaged store: use cp -a).",
        "Takes the store's lock, so it refuses to run while any program has the store open.",
        "--dry-run changes nothing (it takes the shared lock) and says what would be done.",
        "Exit code 0 when nothing needed doing, 1 when something was (or, with --dry-run, would be)"
            + " repaired, 3 when the store cannot be opened or is locked.",
        "With --json: {\"directory\",\"dryRun\",\"segments\",\"changes\",\"droppedRecords\",\"reportFile\"}"
            + " on the first line, then one {\"file\",\"action\"} line per change and one {\"file\","
            + "\"fromOffset\",\"toOffset\",\"records\",\"keys\",\"reason\"} line per dropped range, keys"
            + " a space-separated list in hex."})
final class RepairCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Option(names = "--dry-run", description = "Change nothing; print what would be done.")
  boolean dryRun;

  @Mixin
  SharedOptions.JsonOutput json;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Override
  public Integer call() {
    Path abs = dir.toAbsolutePath().normalize();
    StoreAccess.requireDirectory(abs, "repair");
    RepairReport report = noProgress.progress().around(
        (dryRun ? "checking " : "repairing ") + abs.getFileName(), () -> Sett.repair(abs, dryRun));
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.object(true).add("directory", abs.toString()).add("dryRun", report.dryRun())
          .add("segments", report.segments()).add("changes", report.actions().size())
          .add("droppedRecords", report.droppedRecords())
          .add("reportFile", report.reportFile() == null ? null : report.reportFile().toString()));
      for (RepairReport.Action a : report.actions()) {
        out.println(Json.object(true).add("file", a.file().toString()).add("action", a.what()));
      }
      for (RepairReport.Dropped d : report.dropped()) {
        StringBuilder keys = new StringBuilder();
        for (byte[] k : d.keys()) {
          keys.append(keys.length() == 0 ? "" : " ").append(Encoding.hex(k, Integer.MAX_VALUE));
        }
        out.println(Json.object(true).add("file", d.file().toString()).add("fromOffset", d.fromOffset())
            .add("toOffset", d.toOffset()).add("records", d.records()).add("keys", keys.toString())
            .add("reason", d.reason()));
      }
    } else {
      out.print(report.describe());
      if (report.reportFile() != null) {
        out.println("report written to " + report.reportFile());
      }
    }
    out.flush();
    return report.nothingToDo() ? SettCli.EXIT_OK : SettCli.EXIT_DATA;
  }
}
