package dev.sett.tools;

import dev.sett.api.StoreStats;
import dev.sett.core.Sett;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett info DIR}: opens a store read-only and prints its figures. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    header = "Prints the figures of a store (read-only).",
    description = {
        "Prints the figures of the store in DIR: segments, sizes, keys, live and dead data.",
        "Opens it read-only, so it works while other read-only handles are open (not while a"
            + " writer is).",
        "With --json: one object whose members are named as the components of StoreStats"
            + " (segmentCount, diskBytes, dataBytes, liveKeys, liveBytes, deadBytes, lastSequence,"
            + " indexBytes, openSnapshots), plus directory.",
        "Without --json it also prints what the store was written with (the segment size of new"
            + " segments, and the largest key and value limits of the programs that wrote it), and ends"
            + " with an abnormalities line: files Sett did not write, and directories,"
            + " symbolic links, FIFOs and other special files whatever their names (Sett never opens or"
            + " deletes them), leftovers of an interrupted operation, hints without their segment,"
            + " segment files of the wrong size."})
final class InfoCommand implements Callable<Integer> {
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
    java.util.List<String> abnormal = Abnormalities.find(abs, stats);
    if (json.enabled) {
      out.println(StatsFormat.json(abs, stats));
    } else {
      out.println("Store " + abs);
      StatsFormat.printTable(out, stats, "  ");
      out.println("  written with   " + Sett.facts(abs)
          .map(f -> String.format(Locale.ROOT, "segments of %s, keys up to %,d bytes, values up to %,d bytes",
              StatsFormat.size(f.segmentSize()), f.maxKeySize(), f.maxValueSize()))
          .orElse("not recorded (an older Sett wrote the store; its next writable open records it)"));
      out.println("  abnormalities  " + (abnormal.isEmpty() ? "none" : abnormal.size()));
      for (String a : abnormal) {
        out.println("    " + a);
      }
    }
    out.flush();
    return SettCli.EXIT_OK;
  }
}
