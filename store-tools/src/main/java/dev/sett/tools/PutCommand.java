package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
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

/** {@code sett put DIR KEY VALUE}: sets one key. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    header = "Sets a key to a value (writes).",
    description = {
        "Sets KEY to VALUE (in --value-format), or to the bytes of --value-file, in the store in DIR;"
            + " a new or empty DIR becomes a new store.",
        "Opens the store for writing, which fails while any other program has it open. The value is"
            + " on disk when the command ends, because closing the store syncs it; --sync also forces"
            + " the write itself to disk before it completes (SyncMode.ALWAYS).",
        "A new DIR is created only in a directory that exists, so that a mistyped path does not"
            + " become a new directory tree (exit code 3).",
        "Keys and values may be as large as the store's own limits, which it remembers from the"
            + " programs that wrote it (and its segment size is kept); a new store gets the default"
            + " limits, " + StoreOptions.DEFAULT_MAX_KEY_SIZE + " bytes for a key and "
            + (StoreOptions.DEFAULT_MAX_VALUE_SIZE >> 20) + " MiB for a value."})
final class PutCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "KEY", description = "The key, in --key-format (put -- before"
      + " a key that starts with '-').")
  String key;

  @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1", description = "The value, in"
      + " --value-format; leave it out to use --value-file.")
  String value;

  @Option(names = "--value-file", paramLabel = "FILE", description = "Store the bytes of FILE as the"
      + " value, exactly as they are.")
  Path valueFile;

  @Option(names = "--sync", description = "Force the write to disk before it completes"
      + " (SyncMode.ALWAYS).")
  boolean sync;

  @Mixin
  SharedOptions.KeyFormat keyFormat;

  @Mixin
  SharedOptions.ValueFormat valueFormat;

  @Override
  public Integer call() {
    if ((value == null) == (valueFile == null)) {
      throw new ParameterException(spec.commandLine(), value == null
          ? "Missing VALUE: give a VALUE or --value-file FILE"
          : "Give either VALUE or --value-file, not both");
    }
    if (valueFile != null && valueFormat.format != null) {
      throw new ParameterException(spec.commandLine(), "--value-format does not apply to --value-file,"
          + " whose bytes are stored as they are");
    }
    byte[] k = keyFormat.parse(key, "KEY");
    SyncMode mode = sync ? SyncMode.ALWAYS : SyncMode.NONE;
    Path abs = dir.toAbsolutePath().normalize();
    StoreAccess.requireCreatable(abs, "put", SettCli.EXIT_STORE);
    StoreOptions options = StoreAccess.writableOptions(abs, mode, 0);
    byte[] v = value != null ? valueFormat.parse(value, "VALUE") : readValueFile(valueFile, options.maxValueSize());
    try (Store store = StoreAccess.open(abs, options)) {
      store.put(k, v);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "Set key %s to %,d byte%s in %s%s%n", Encoding.describe(k), v.length,
        v.length == 1 ? "" : "s", abs, sync ? " (synced)" : "");
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** The bytes of {@code file}, refusing a file larger than a value may be before reading it. */
  static byte[] readValueFile(Path file, int maxValueSize) {
    try {
      long size = Files.size(file);
      if (size > maxValueSize) {
        throw new CliException(SettCli.EXIT_USAGE, String.format(Locale.ROOT, "--value-file %s holds %,d"
            + " bytes, over the limit of %,d bytes for a value", file, size, maxValueSize));
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException(SettCli.EXIT_USAGE, "cannot read --value-file " + file + ": " + Errors.io(e),
          e);
    }
  }
}
