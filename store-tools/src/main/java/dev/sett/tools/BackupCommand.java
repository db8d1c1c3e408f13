package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.VerifyReport;
import dev.sett.core.Sett;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett backup DIR DEST}: a consistent copy of a store while no writer runs. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    header = "Copies a store to a new directory, consistently (reads the store only).",
    description = {
        "Copies the store in DIR to DEST, which must not exist or be empty: the marker, every segment"
            + " and every hint file, each forced to disk, then DEST's directory entry. Holds the store's"
            + " shared lock throughout, so no writer can change it meanwhile (a running writer makes the"
            + " command fail with exit 3; close it first). Finally verifies the copy like 'sett verify'.",
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
    List<Path> copied = new ArrayList<>();
    long bytes = 0;
    Progress progress = noProgress.progress();
    try (Store store = StoreAccess.openReadOnly(from)) {
      Files.createDirectories(to);
      List<Path> files = storeFiles(from);
      progress.start("copying files", files.size());
      for (Path file : files) {
        Path target = to.resolve(file.getFileName().toString());
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        copied.add(target);
        bytes += Files.size(target);
        progress.update(copied.size());
      }
      progress.finish();
      try (FileChannel ch = FileChannel.open(to, StandardOpenOption.READ)) {
        ch.force(true);
      }
      store.stats();
    } finally {
      progress.abandon();
    }
    VerifyReport report = progress.around("verifying the copy", () -> Sett.verify(to));
    PrintWriter out = spec.commandLine().getOut();
    for (VerifyReport.Problem p : report.problems()) {
      out.println(p.file() + " at offset " + p.offset() + ": " + p.problem());
    }
    out.println("Backed up " + from + " to " + to + ": " + copied.size() + " file(s), " + bytes + " bytes; "
        + (report.ok() ? "the copy verified (" + report.records() + " records)"
            : report.problems().size() + " problem(s) found in the copy"));
    out.flush();
    return report.ok() ? SettCli.EXIT_OK : SettCli.EXIT_DATA;
  }

  /** The files that make up a store: marker, segments and hints (not the lock, not temporaries). */
  private static List<Path> storeFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      s.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        // Exact names only, and regular files only: copying a FIFO named like a segment would
        // block, and files Sett did not write are not the store's.
        if ((n.equals("sett.store") || Abnormalities.SEGMENT.matcher(n).matches() || Abnormalities.HINT.matcher(n).matches())
            && Files.isRegularFile(p)) {
          out.add(p);
        }
      });
      return out;
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
