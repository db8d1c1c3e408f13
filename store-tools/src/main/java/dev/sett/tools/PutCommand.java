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
        "Keys may have up to " + StoreOptions.DEFAULT_MAX_KEY_SIZE + " bytes and values up to "
            + (StoreOptions.DEFAULT_MAX_VALUE_SIZE >> 20) + " MiB: the default limits, so that an"
            + " application that opens the store with default options can read them."})
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

  @Option(names = "--ttl", paramLabel = "DURATION", description = "Let the value expire after DURATION:"
      + " a number and a unit, ms, s, m, h or d (90s, 30m, 2d), or ISO-8601 (PT1H30M).")
  String ttl;

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
    java.time.Duration lifetime = ttl == null ? null : parseDuration(ttl);
    SyncMode mode = sync ? SyncMode.ALWAYS : SyncMode.NONE;
    byte[] v = value != null ? valueFormat.parse(value, "VALUE")
        : readValueFile(valueFile, StoreAccess.writableOptions(mode).maxValueSize());
    Path abs = dir.toAbsolutePath().normalize();
    try (Store store = StoreAccess.openWritable(abs, mode, true)) {
      if (lifetime == null) {
        store.put(k, v);
      } else {
        store.put(k, v, lifetime);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "Set key %s to %,d byte%s in %s%s%s%n", Encoding.describe(k), v.length,
        v.length == 1 ? "" : "s", abs, lifetime == null ? "" : ", expiring in " + ttl, sync ? " (synced)" : "");
    out.flush();
    return SettCli.EXIT_OK;
  }

  /** {@code 90s}, {@code 30m}, {@code 2d}, {@code 250ms} or ISO-8601 {@code PT1H}: positive. */
  private java.time.Duration parseDuration(String text) {
    java.time.Duration d = null;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)").matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> java.time.Duration.ofMillis(n);
        case "s" -> java.time.Duration.ofSeconds(n);
        case "m" -> java.time.Duration.ofMinutes(n);
        case "h" -> java.time.Duration.ofHours(n);
        default -> java.time.Duration.ofDays(n);
      };
    } else {
      try {
        d = java.time.Duration.parse(text.trim());
      } catch (java.time.format.DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--ttl " + text + " is not a positive duration; write a"
          + " number and a unit (ms, s, m, h, d), such as 30m, or ISO-8601 such as PT1H30M");
    }
    return d;
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
