package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.io.PrintWriter;
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
            + " --help'), into the store in DIR; a new or empty DIR becomes a new store.",
        "First reads the whole file and checks every line: its JSON, its members, the encoding of its"
            + " key and value, their sizes against the store's limits, and that the number of records"
            + " is the header's. A malformed file is refused before anything is written, with the"
            + " number of the first bad line and exit code 1.",
        "Refuses a store that already holds keys (exit code 2), unless --into-existing: then the"
            + " dump's records overwrite equal keys and the other keys stay. When a key appears twice"
            + " in the dump, the later line wins.",
        "Writes in batches of --batch-size records (fewer if they are large), each applied"
            + " atomically; if the load fails midway, the batches written so far stay, so delete the"
            + " directory and load again. The store is synced to disk when the load ends.",
        "Opens the store for writing, which fails while any other program has it open.",
        "A record with \"expiresAt\" is written with the time it has left, so it expires when it"
            + " would have in the exported store; one whose time has passed is skipped and counted.",
        "With --json: one object {\"directory\", \"file\", \"records\", \"batches\", \"expired\","
            + " \"liveKeys\"} instead of the sentence."})
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
    StoreOptions options = StoreAccess.writableOptions(SyncMode.NONE);
    long started = System.nanoTime();
    Progress progress = noProgress.progress();

    long records = check(source, options, progress);

    Loaded loaded;
    long liveKeys;
    try (Store store = StoreAccess.openWritable(abs, SyncMode.NONE, true)) {
      long existing = store.stats().liveKeys();
      if (existing > 0 && !intoExisting) {
        throw new CliException(SettCli.EXIT_USAGE, String.format(Locale.ROOT, "%s already holds %,d"
            + " key%s; load into a new or empty directory, or add --into-existing to add the dump's"
            + " records to them (overwriting equal keys)", abs, existing, existing == 1 ? "" : "s"));
      }
      loaded = write(store, source, options, records, progress);
      liveKeys = store.stats().liveKeys();
    }

    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.object(true)
          .add("directory", abs.toString())
          .add("file", source.toString())
          .add("records", records)
          .add("batches", loaded.batches)
          .add("expired", loaded.expired)
          .add("liveKeys", liveKeys)
          .toString());
    } else {
      out.printf(Locale.ROOT, "Loaded %,d record%s from %s into %s in %,d batch%s (%.2f s)%s; the store"
          + " holds %,d key%s%n", records - loaded.expired, records - loaded.expired == 1 ? "" : "s", source, abs,
          loaded.batches, loaded.batches == 1 ? "" : "es", (System.nanoTime() - started) / 1e9,
          loaded.expired == 0 ? "" : String.format(Locale.ROOT, ", skipping %,d that had expired", loaded.expired),
          liveKeys, liveKeys == 1 ? "" : "s");
    }
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** First pass: reads and checks the whole file; returns its number of records. */
  private long check(Path source, StoreOptions options, Progress progress) {
    try (DumpFormat.Reader reader = open(source, options)) {
      progress.start("checking " + source.getFileName(), reader.header().records());
      long n = 0;
      while (reader.next() != null) {
        if ((++n & 1023) == 0) {
          progress.update(n);
        }
      }
      progress.finish();
      return n;
    } catch (DumpFormat.Malformed e) {
      throw malformed(source, e, "nothing was loaded");
    } catch (IOException e) {
      throw unreadable(source, e, "nothing was loaded");
    } finally {
      progress.abandon();
    }
  }

  /** What the second pass did: batches written, and records skipped because they had expired. */
  private record Loaded(long batches, long expired) {
  }

  /** Second pass: writes the records in batches. */
  private Loaded write(Store store, Path source, StoreOptions options, long records, Progress progress) {
    // A batch must fit in one segment; StoreOptions.SEGMENT_OVERHEAD per record over-estimates
    // what a record needs beside its key and value, and half a segment leaves room to spare.
    long budget = options.segmentSize() / 2;
    WriteBatch batch = new WriteBatch();
    long batchBytes = 0;
    long batches = 0;
    long written = 0;
    long expired = 0;
    try (DumpFormat.Reader reader = open(source, options)) {
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
        if (e.expiresAt() == null) {
          batch.put(e.key(), e.value());
        } else {
          // The dump says when the value expires; the store takes how long it has left.
          java.time.Duration left = java.time.Duration.between(options.clock().instant(), e.expiresAt());
          if (left.isZero() || left.isNegative()) {
            expired++;
            continue; // it would be absent anyway
          }
          batch.put(e.key(), e.value(), left);
        }
        batchBytes += size;
      }
      if (!batch.isEmpty()) {
        store.write(batch);
        batches++;
      }
      progress.finish();
      return new Loaded(batches, expired);
    } catch (DumpFormat.Malformed e) {
      throw malformed(source, e, "the file changed while it was loaded; the " + written
          + " records before that line were loaded");
    } catch (IOException e) {
      throw unreadable(source, e, "the " + written + " records before the failure were loaded");
    } finally {
      progress.abandon();
    }
  }

  private static DumpFormat.Reader open(Path source, StoreOptions options)
      throws IOException, DumpFormat.Malformed {
    return new DumpFormat.Reader(source, options.maxKeySize(), options.maxValueSize());
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
