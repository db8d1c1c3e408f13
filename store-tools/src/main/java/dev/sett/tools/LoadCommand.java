package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett load DIR FILE}: writes the records of a dump ({@link DumpFormat}) into a store. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    header = "Loads a dump file written by export (writes).",
    description = {
        "Writes the records of FILE, a dump written by 'sett export' (its format is in 'sett export"
            + " --help'), into the store in DIR; a new or empty DIR becomes a new store. A new DIR is"
            + " created only in a directory that exists, so that a mistyped path does not become a new"
            + " directory tree (exit code 3).",
        "First reads the whole file and checks every line: its JSON, its members, the encoding of its"
            + " key and value, their sizes, and that the number of records is the header's. A malformed"
            + " file is refused before anything is written, with the number of the first bad line and"
            + " exit code 1. FILE may also be a pipe (such as /dev/stdin, or <(zcat dump.gz) in bash):"
            + " it can be read only once, so each line is checked as it is loaded, and a bad line stops"
            + " the load there.",
        "Keys may have any size the format holds (up to " + StoreOptions.MAX_KEY_SIZE_LIMIT + " bytes);"
            + " the store's key limit is raised to the longest key of the dump. Values may be as large as"
            + " the store's own limit, which it remembers from the programs that wrote it (a new store:"
            + " " + (StoreOptions.DEFAULT_MAX_VALUE_SIZE >> 20) + " MiB). A line longer than any record"
            + " line can be with those limits is refused as soon as that many bytes are read, so memory"
            + " stays bounded however long a line, or the input, is.",
        "Refuses a store that already holds keys (exit code 2), unless --into-existing: then the"
            + " dump's records overwrite equal keys and the other keys stay. When a key appears twice"
            + " in the dump, the later line wins.",
        "Writes in batches of --batch-size records (fewer if they are large), each applied"
            + " atomically; if the load fails midway, the batches written so far stay, so delete the"
            + " directory and load again. The store is synced to disk when the load ends.",
        "Opens the store for writing, which fails while any other program has it open.",
        "With --json: one object {\"directory\", \"file\", \"records\", \"batches\", \"liveKeys\"}"
            + " instead of the sentence."})
final class LoadCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "FILE", description = "The dump file to read.")
  Path file;

  @Option(names = "--into-existing", description = "Load into a store that already holds keys.")
  boolean intoExisting;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Records per"
      + " atomic batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, not " + batchSize);
    }
    Path abs = dir.toAbsolutePath().normalize();
    Path source = file.toAbsolutePath().normalize();
    StoreAccess.requireCreatable(abs, "load", SettCli.EXIT_STORE);
    int maxValueSize = StoreAccess.writableOptions(abs, SyncMode.NONE, 0).maxValueSize();
    long started = System.nanoTime();
    Progress progress = noProgress.progress();

    long records;
    long batches;
    long liveKeys;
    if (Files.isRegularFile(source)) {
      Checked checked = check(source, maxValueSize, progress);
      records = checked.records;
      StoreOptions options = StoreAccess.writableOptions(abs, SyncMode.NONE, checked.longestKey);
      try (Store store = openEmpty(abs, options);
          DumpFormat.Reader reader = open(source, options.maxKeySize(), maxValueSize, "nothing was loaded")) {
        batches = write(store, reader, source, options, records, progress, "the file changed while it was"
            + " loaded; the %,d records before that line were loaded");
        liveKeys = store.stats().liveKeys();
      } catch (IOException e) {
        throw unreadable(source, e, "some records may have been loaded");
      }
    } else {
      // A pipe or a device can be read only once: check each line as it is loaded. The header is
      // read before the store is opened, so that input that is not a dump creates nothing.
      StoreOptions options = StoreAccess.writableOptions(abs, SyncMode.NONE, StoreOptions.MAX_KEY_SIZE_LIMIT);
      try (DumpFormat.Reader reader = open(source, options.maxKeySize(), maxValueSize, "nothing was loaded");
          Store store = openEmpty(abs, options)) {
        records = reader.header().records();
        batches = write(store, reader, source, options, records, progress, "the %,d records before that line"
            + " were loaded");
        records = reader.recordsRead();
        liveKeys = store.stats().liveKeys();
      } catch (IOException e) {
        throw unreadable(source, e, "some records may have been loaded");
      }
    }

    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.object(true)
          .add("directory", abs.toString())
          .add("file", source.toString())
          .add("records", records)
          .add("batches", batches)
          .add("liveKeys", liveKeys)
          .toString());
    } else {
      out.printf(Locale.ROOT, "Loaded %,d record%s from %s into %s in %,d batch%s (%.2f s); the store"
          + " holds %,d key%s%n", records, records == 1 ? "" : "s", source, abs, batches,
          batches == 1 ? "" : "es", (System.nanoTime() - started) / 1e9, liveKeys, liveKeys == 1 ? "" : "s");
    }
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** Opens the store for writing; refuses one that holds keys unless --into-existing. */
  private Store openEmpty(Path abs, StoreOptions options) {
    Store store = StoreAccess.open(abs, options);
    long existing = store.stats().liveKeys();
    if (existing > 0 && !intoExisting) {
      store.close();
      throw new CliException(SettCli.EXIT_USAGE, String.format(Locale.ROOT, "%s already holds %,d"
          + " key%s; load into a new or empty directory, or add --into-existing to add the dump's"
          + " records to them (overwriting equal keys)", abs, existing, existing == 1 ? "" : "s"));
    }
    return store;
  }

  /** What the first pass found: the number of records and the longest key. */
  private record Checked(long records, int longestKey) {
  }

  /** First pass: reads and checks the whole file (keys of any size the format holds). */
  private Checked check(Path source, int maxValueSize, Progress progress) {
    try (DumpFormat.Reader reader = open(source, StoreOptions.MAX_KEY_SIZE_LIMIT, maxValueSize,
        "nothing was loaded")) {
      progress.start("checking " + source.getFileName(), reader.header().records());
      long n = 0;
      int longestKey = 0;
      DumpFormat.Entry e;
      while ((e = reader.next()) != null) {
        longestKey = Math.max(longestKey, e.key().length);
        if ((++n & 1023) == 0) {
          progress.update(n);
        }
      }
      progress.finish();
      return new Checked(n, longestKey);
    } catch (DumpFormat.Malformed e) {
      throw malformed(source, e, "nothing was loaded");
    } catch (IOException e) {
      throw unreadable(source, e, "nothing was loaded");
    } finally {
      progress.abandon();
    }
  }

  /**
   * Writes the records {@code reader} returns in batches of at most --batch-size records and half a
   * segment of bytes; returns the number of batches. Holds one batch at a time.
   *
   * @param failedMidway what a malformed line means for the load, with a %,d for the records loaded
   */
  private long write(Store store, DumpFormat.Reader reader, Path source, StoreOptions options, long records,
      Progress progress, String failedMidway) throws IOException {
    // A batch must fit in one segment; StoreOptions.SEGMENT_OVERHEAD per record over-estimates
    // what a record needs beside its key and value, and half a segment leaves room to spare.
    long budget = options.segmentSize() / 2;
    WriteBatch batch = new WriteBatch();
    long batchBytes = 0;
    long batches = 0;
    long written = 0;
    try {
      progress.start("loading records", records);
      DumpFormat.Entry e;
      while ((e = reader.next()) != null) {
        long size = e.key().length + (long) e.value().length + StoreOptions.SEGMENT_OVERHEAD;
        if (!batch.isEmpty() && (batch.size() >= batchSize || batchBytes + size > budget)) {
          store.write(batch);
          batches++;
          written += batch.size();
          progress.update(written);
          batch.clear();
          batchBytes = 0;
        }
        batch.put(e.key(), e.value());
        batchBytes += size;
      }
      if (!batch.isEmpty()) {
        store.write(batch);
        batches++;
      }
      progress.finish();
      return batches;
    } catch (DumpFormat.Malformed e) {
      // The records read so far were sound: they are loaded, so that the message is exact.
      if (!batch.isEmpty()) {
        store.write(batch);
        written += batch.size();
      }
      throw malformed(source, e, String.format(Locale.ROOT, failedMidway, written));
    } finally {
      progress.abandon();
    }
  }

  /** Opens {@code source} and reads its header; a failure is reported with {@code outcome}. */
  private static DumpFormat.Reader open(Path source, int maxKeySize, int maxValueSize, String outcome) {
    try {
      return new DumpFormat.Reader(source, maxKeySize, maxValueSize);
    } catch (DumpFormat.Malformed e) {
      throw malformed(source, e, outcome);
    } catch (IOException e) {
      throw unreadable(source, e, outcome);
    }
  }

  private static CliException malformed(Path source, DumpFormat.Malformed e, String outcome) {
    return new CliException(SettCli.EXIT_DATA, source + " line " + e.line() + ": " + e.getMessage()
        + "; " + outcome, e);
  }

  private static CliException unreadable(Path source, IOException e, String outcome) {
    return new CliException(SettCli.EXIT_USAGE, "cannot read " + source + ": " + Errors.io(e) + "; "
        + outcome, e);
  }
}
