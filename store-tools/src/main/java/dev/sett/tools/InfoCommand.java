package dev.sett.tools;

import dev.sett.api.StoreActivity;
import dev.sett.api.StoreStats;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        "Opens it read-only, so it works while a service has the store open for writing, in this"
            + " process or another: it shows what the writer had committed when the command started,"
            + " names the writer's pid and lists the read-only handles open on the store.",
        "With --json: one object whose members are named as the components of StoreStats"
            + " (segmentCount, diskBytes, dataBytes, liveKeys, liveBytes, deadBytes, lastSequence,"
            + " indexBytes, openSnapshots), plus directory, writerPid (-1: none) and readers (pid,"
            + " opened, segments).",
        "Without --json it ends with an abnormalities line: files Sett did not write, leftovers of an"
            + " interrupted operation, hints without their segment, segment files of the wrong size."})
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
    print(out, abs, stats, StoreAccess.activity(abs), json.enabled);
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** The figures, who has the store open, and the abnormalities: shared with {@code sett watch}. */
  static void print(PrintWriter out, Path abs, StoreStats stats, StoreActivity activity, boolean asJson) {
    java.util.List<String> abnormal = Abnormalities.find(abs, stats, activity);
    if (asJson) {
      String figures = StatsFormat.json(abs, stats);
      StringBuilder readers = new StringBuilder("[");
      for (StoreActivity.Reader r : activity.readers()) {
        readers.append(readers.length() > 1 ? "," : "").append(Json.object(true).add("pid", r.pid())
            .add("opened", r.opened().toString()).add("segments", r.segments()));
      }
      readers.append(']');
      out.println(figures.substring(0, figures.lastIndexOf('}')).stripTrailing() + ",\n"
          + "  \"writerPid\": " + activity.writerPid() + ",\n"
          + "  \"readers\": " + readers + "\n}");
      return;
    }
    out.println("Store " + abs);
    StatsFormat.printTable(out, stats, "  ");
    out.println("  writer         " + (activity.writerPid() > 0 ? "pid " + activity.writerPid() + " (has it open now)"
        : activity.writerRunning() ? "running (pid unknown)" : "none"));
    out.println("  readers        " + (activity.readers().isEmpty() ? "none" : activity.readers().size()));
    for (StoreActivity.Reader r : activity.readers()) {
      out.println("    pid " + r.pid() + ", open since " + r.opened() + ", maps " + r.segments() + " segment(s)");
    }
    if (!activity.retiredSegments().isEmpty()) {
      out.println("  retired        " + activity.retiredSegments().size()
          + " segment file(s) compacted away, kept until the readers that map them let go");
    }
    out.println("  abnormalities  " + (abnormal.isEmpty() ? "none" : abnormal.size()));
    for (String a : abnormal) {
      out.println("    " + a);
    }
  }
}
