package dev.sett.tools;

import dev.sett.api.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett watch DIR}: {@code sett info}, refreshed every second, beside a running service. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    header = "Shows a store's figures, refreshed every second (read-only).",
    description = {
        "Prints what 'sett info' prints, again every interval, until interrupted (Ctrl-C) or --count"
            + " frames were printed. Keeps one read-only handle open and refreshes it, so it follows a"
            + " writer that has the store open in another process; on a terminal each frame replaces"
            + " the last (the screen is cleared), otherwise frames follow each other, separated by a"
            + " blank line.",
        "Exit code 0 when it stops."})
final class WatchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Option(names = {"-n", "--interval"}, paramLabel = "SECONDS", defaultValue = "1",
      description = "Seconds between frames (default: ${DEFAULT-VALUE}; at least 0.1).")
  double interval;

  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
      description = "Stop after N frames (default: 0, never).")
  int count;

  /** Whether output goes to a terminal that takes ANSI escapes (tests set it). */
  boolean terminal = System.console() != null;

  @Override
  public Integer call() throws InterruptedException {
    if (!(interval >= 0.1) || count < 0) {
      throw new CliException(SettCli.EXIT_USAGE, "--interval must be at least 0.1 seconds and --count at least 0");
    }
    Path abs = dir.toAbsolutePath().normalize();
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = StoreAccess.openReadOnly(abs)) {
      for (int frame = 1; count == 0 || frame <= count; frame++) {
        if (frame > 1) {
          Thread.sleep((long) (interval * 1000));
          store.refresh();
        }
        if (terminal) {
          out.print("\033[H\033[2J"); // home, clear screen
        } else if (frame > 1) {
          out.println();
        }
        out.println(Instant.now() + "  (every " + interval + " s; Ctrl-C stops)");
        InfoCommand.print(out, abs, store.stats(), StoreAccess.activity(abs), false);
        out.flush();
      }
    }
    return SettCli.EXIT_OK;
  }
}
