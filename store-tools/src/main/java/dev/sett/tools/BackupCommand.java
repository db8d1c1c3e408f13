package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.VerifyReport;
import dev.sett.core.Sett;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett backup DIR DEST}: a consistent copy of a store, also of one a service has open. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    header = "Copies a store to a new directory, consistently (reads the store only).",
    description = {
        "Copies the store in DIR to DEST, which must not exist or be empty, as a checkpoint"
            + " (Store.checkpoint): a consistent copy as of one sequence number, also while a service has"
            + " the store open for writing (the copy then holds what it had committed when the command"
            + " opened the store). Sealed segments are hard-linked where DEST is on the same file system"
            + " (copied otherwise), the segment being written is copied up to its last whole batch;"
            + " everything is forced to disk. Finally verifies the copy like 'sett verify'. Restoring is"
            + " opening DEST (or moving it into place).",
        "Exit code 0 when the copy verified, 1 if the copy (and so the store) has damage."})
final class BackupCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "DEST", description = "A new or empty directory for the copy.")
  Path dest;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Override
  public Integer call() throws IOException {
    Path from = dir.toAbsolutePath().normalize();
    Path to = dest.toAbsolutePath().normalize();
    if (Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
      throw new CliException(SettCli.EXIT_USAGE, to + " exists and is not an empty directory; give backup a new"
          + " or empty directory, so that nothing is overwritten");
    }
    if (to.startsWith(from)) {
      throw new CliException(SettCli.EXIT_USAGE, to + " is inside the store " + from + "; give backup a directory"
          + " outside it");
    }
    Progress progress = noProgress.progress();
    long sequence;
    try (Store store = StoreAccess.openReadOnly(from)) {
      sequence = progress.around("writing the checkpoint", () -> store.checkpoint(to));
    }
    List<Path> files = new ArrayList<>();
    long bytes = 0;
    long linked = 0;
    try (Stream<Path> s = Files.list(to)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        files.add(p);
        bytes += Files.size(p);
        if (Abnormalities.SEGMENT.matcher(p.getFileName().toString()).matches() && links(p) > 1) {
          linked++;
        }
      }
    }
    VerifyReport report = progress.around("verifying the copy", () -> Sett.verify(to));
    PrintWriter out = spec.commandLine().getOut();
    for (VerifyReport.Problem p : report.problems()) {
      out.println(p.file() + " at offset " + p.offset() + ": " + p.problem());
    }
    out.println("Backed up " + from + " to " + to + " as of sequence " + sequence + ": " + files.size() + " file(s), "
        + bytes + " bytes" + (linked > 0 ? " (" + linked + " sealed segment(s) hard-linked, sharing the store's disk"
            + " space until compaction replaces them)" : "") + "; "
        + (report.ok() ? "the copy verified (" + report.records() + " records)"
            : report.problems().size() + " problem(s) found in the copy"));
    out.flush();
    return report.ok() ? SettCli.EXIT_OK : SettCli.EXIT_DATA;
  }

  private static long links(Path p) {
    try {
      return ((Number) Files.getAttribute(p, "unix:nlink")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
