package dev.sett.tools;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett export DIR FILE}: writes a store to a portable dump, the format of {@link DumpFormat}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    header = "Writes every entry to a portable dump file (read-only).",
    description = {
        "Writes every entry of the store in DIR to FILE, in key order and from one consistent"
            + " snapshot, as JSON Lines (UTF-8, one object per line): a header, then one line per"
            + " entry. For example (the header is shortened here):",
        "  {\"format\":\"sett-export\",\"version\":1,\"keyFormat\":\"base64\",...,\"records\":2}",
        "  {\"key\":\"YQ==\",\"value\":\"AP8=\"}",
        "  {\"key\":\"Yg==\",\"value\":\"\"}",
        "The header has exactly the members format (always sett-export), version (1), keyFormat and"
            + " valueFormat (how every key and every value is written: utf8, hex or base64), and"
            + " records (how many lines follow). Each record line has exactly the members key and"
            + " value.",
        "--key-format and --value-format choose the formats; base64, the default, holds any bytes."
            + " utf8 is readable but holds only valid UTF-8: a key or value that is not stops the"
            + " export with exit code 2, naming the key in hex, and no FILE is left behind.",
        "'sett load' reads the file back: exporting a store and loading the dump into an empty"
            + " directory gives a store with the same entries.",
        "FILE is first written under a temporary name in its directory, synced, and renamed when"
            + " complete, so it is never left half-written; it is readable by its owner only, since it"
            + " holds all the data. An existing FILE is replaced only with --force.",
        "Opens the store read-only, so it never changes a byte and may run while other read-only"
            + " commands use the store (not while a program writes to it); every record's checksum is"
            + " verified.",
        "With --json: one object {\"directory\", \"file\", \"records\", \"bytes\", \"keyFormat\","
            + " \"valueFormat\"} instead of the sentence."})
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "FILE", description = "The dump file to write.")
  Path file;

  @Option(names = "--key-format", paramLabel = "FORMAT", defaultValue = "base64",
      converter = Encoding.Converter.class, completionCandidates = Encoding.Names.class,
      description = "How keys are written: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Encoding keyFormat;

  @Option(names = "--value-format", paramLabel = "FORMAT", defaultValue = "base64",
      converter = Encoding.Converter.class, completionCandidates = Encoding.Names.class,
      description = "How values are written: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Encoding valueFormat;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  boolean force;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    Path abs = dir.toAbsolutePath().normalize();
    Path target = file.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw new CliException(SettCli.EXIT_USAGE, "FILE " + file + " is a directory; name a file to write");
    }
    if (Files.exists(target) && !force) {
      throw new CliException(SettCli.EXIT_USAGE, "FILE " + file + " already exists; name another file,"
          + " or add --force to replace it");
    }
    Path parent = target.getParent();
    if (!Files.isDirectory(parent)) {
      throw new CliException(SettCli.EXIT_USAGE, "the directory of FILE " + file + " does not exist;"
          + " create it first");
    }
    long started = System.nanoTime();
    long records;
    try (Store store = StoreAccess.openReadOnly(abs);
        Snapshot snapshot = store.snapshot();
        Cursor cursor = snapshot.scan(KeyRange.all())) {
      // Read-only handles exclude writers, so the count matches the snapshot; checked below.
      DumpFormat.Header header = new DumpFormat.Header(keyFormat, valueFormat, store.stats().liveKeys());
      records = writeAtomically(target, parent, header, cursor);
    }
    long bytes = size(target);
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.object(true)
          .add("directory", abs.toString())
          .add("file", target.toString())
          .add("records", records)
          .add("bytes", bytes)
          .add("keyFormat", keyFormat.label)
          .add("valueFormat", valueFormat.label)
          .toString());
    } else {
      out.printf(Locale.ROOT, "Exported %,d record%s from %s to %s (%s; keys %s, values %s) in %.2f s%n",
          records, records == 1 ? "" : "s", abs, target, StatsFormat.size(bytes), keyFormat, valueFormat,
          (System.nanoTime() - started) / 1e9);
    }
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** Writes the dump to a temporary file in {@code parent}, then renames it to {@code target}. */
  private long writeAtomically(Path target, Path parent, DumpFormat.Header header, Cursor cursor) {
    Path tmp;
    try {
      tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw new CliException(SettCli.EXIT_USAGE, "cannot create a file in " + parent + ": " + Errors.io(e),
          e);
    }
    boolean renamed = false;
    try {
      long records;
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        Writer w = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT), -1), 1 << 16);
        records = writeRecords(w, header, cursor);
        w.flush();
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
      return records;
    } catch (IOException e) {
      throw new CliException(SettCli.EXIT_SOFTWARE, "cannot write " + target + ": " + Errors.io(e)
          + "; no FILE was written", e);
    } finally {
      if (!renamed) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          spec.commandLine().getErr().println("sett: could not delete the temporary file " + tmp + ": "
              + Errors.io(e));
        }
      }
    }
  }

  private long writeRecords(Writer w, DumpFormat.Header header, Cursor cursor) throws IOException {
    Progress progress = noProgress.progress();
    try {
      return writeRecords(w, header, cursor, progress);
    } finally {
      progress.abandon();
    }
  }

  private long writeRecords(Writer w, DumpFormat.Header header, Cursor cursor, Progress progress)
      throws IOException {
    progress.start("exporting records", header.records());
    w.write(header.line());
    w.write('\n');
    long count = 0;
    while (cursor.next()) {
      byte[] key = cursor.key().toByteArray();
      byte[] value = cursor.value().toByteArray();
      if (!keyFormat.canEncode(key)) {
        throw notUtf8("key 0x" + Encoding.hex(key, key.length), "--key-format");
      }
      if (!valueFormat.canEncode(value)) {
        throw notUtf8("the value of key 0x" + Encoding.hex(key, key.length), "--value-format");
      }
      w.write(DumpFormat.recordLine(header, key, value, cursor.expiresAt()));
      w.write('\n');
      count++;
      if ((count & 1023) == 0) {
        progress.update(count);
      }
    }
    progress.finish();
    if (count != header.records()) {
      throw new CliException(SettCli.EXIT_SOFTWARE, "the store counted " + header.records() + " live keys"
          + " but its snapshot held " + count + ", so the header would be wrong and no FILE was written;"
          + " this is a bug in Sett: please report it");
    }
    return count;
  }

  private static CliException notUtf8(String what, String option) {
    return new CliException(SettCli.EXIT_USAGE, what + " is not valid UTF-8, so " + option + " utf8"
        + " cannot hold it; export with hex or base64 (no FILE was written)");
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }
}
