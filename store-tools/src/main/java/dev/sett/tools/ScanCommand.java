package dev.sett.tools;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sett scan DIR}: lists entries in key order, streaming them from one snapshot (nothing is
 * collected in memory beyond the first rows of a table, which set its column widths).
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    header = "Lists keys and values in key order (read-only).",
    description = {
        "Lists the entries of the store in DIR in ascending key order (bytes compared unsigned), or"
            + " descending with --reverse: all of them, those whose key starts with --prefix, or those"
            + " from --from (inclusive) to --to (exclusive). Each value's checksum is verified.",
        "Opens the store read-only, so it never changes a byte and may run while other read-only"
            + " commands use the store (not while a program writes to it).",
        "Text output is a table, KEY, SIZE (value bytes) and VALUE, with keys and values that are not"
            + " printable text shown in hex with a 0x prefix (unless --key-format or --value-format"
            + " says otherwise); control characters appear as \\n, \\t, \\r or \\uXXXX, and values"
            + " longer than --value-width are cut and end in '...'. A last line counts the entries.",
        "With --json: JSON Lines, one object per entry, {\"key\", \"keyFormat\", \"value\","
            + " \"valueFormat\"} (without the value members under --keys-only), non-ASCII characters"
            + " escaped (\\uXXXX), and nothing else.",
        "With --value-format utf8, a value that is not valid UTF-8 stops the scan with exit code 2."})
final class ScanCommand implements Callable<Integer> {
  /** Rows held back to size the table's columns. */
  static final int TABLE_BUFFER = 1_000;
  /** How often (in entries) to look whether standard output was closed, e.g. by {@code head}. */
  private static final int CHECK_OUTPUT_EVERY = 256;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys that start with P (in"
      + " --key-format).")
  String prefix;

  @Option(names = "--from", paramLabel = "A", description = "Only keys from A on, A included (in"
      + " --key-format).")
  String from;

  @Option(names = "--to", paramLabel = "B", description = "Only keys before B, B excluded (in"
      + " --key-format).")
  String to;

  @Option(names = "--reverse", description = "List in descending key order.")
  boolean reverse;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N entries.")
  Long limit;

  @Option(names = "--keys-only", description = "List keys without their values.")
  boolean keysOnly;

  @Option(names = "--value-width", paramLabel = "N", defaultValue = "60", description = "Cut values"
      + " in the table to N characters; 0 never cuts (default: ${DEFAULT-VALUE}). No effect on"
      + " --json.")
  int valueWidth;

  @Mixin
  SharedOptions.KeyFormat keyFormat;

  @Mixin
  SharedOptions.ValueFormat valueFormat;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    if (prefix != null && (from != null || to != null)) {
      throw new ParameterException(spec.commandLine(), "--prefix cannot be combined with --from or --to");
    }
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
    }
    if (valueWidth != 0 && valueWidth < 10) {
      throw new ParameterException(spec.commandLine(), "--value-width must be 0 (never cut) or at"
          + " least 10, not " + valueWidth);
    }
    KeyRange range = range();
    Path abs = dir.toAbsolutePath().normalize();
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = StoreAccess.openReadOnly(abs);
        Snapshot snapshot = store.snapshot();
        Cursor cursor = snapshot.scan(range)) {
      Output output = json.enabled ? new JsonLines(out) : new Table(out);
      long count = 0;
      boolean more = false;
      while (cursor.next()) {
        if (limit != null && count == limit) {
          more = true;
          break;
        }
        byte[] key = cursor.key().toByteArray();
        byte[] value = keysOnly ? null : cursor.value().toByteArray();
        if (!keyFormat.output(key).canEncode(key)) {
          throw SharedOptions.notUtf8("key " + Encoding.describe(key), "--key-format");
        }
        if (value != null && !valueFormat.output(value).canEncode(value)) {
          throw SharedOptions.notUtf8("the value of key " + Encoding.describe(key), "--value-format");
        }
        output.entry(key, value);
        count++;
        if (count % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
          throw new CliException(SettCli.EXIT_SOFTWARE, "stopped after " + count + " entries: standard"
              + " output was closed (by a program such as head) or could not be written");
        }
      }
      output.finish(count, more);
    }
    out.flush();
    return SettCli.EXIT_OK;
  }

  private KeyRange range() {
    KeyRange range;
    if (prefix != null) {
      range = KeyRange.prefix(keyFormat.parse(prefix, "--prefix"));
    } else {
      byte[] lower = from == null ? null : keyFormat.parse(from, "--from");
      byte[] upper = to == null ? null : keyFormat.parse(to, "--to");
      if (lower != null && upper != null && Arrays.compareUnsigned(lower, upper) > 0) {
        throw new CliException(SettCli.EXIT_USAGE, "--from " + Encoding.describe(lower) + " comes after --to "
            + Encoding.describe(upper) + " in key order, so the range is empty; swap them (and add"
            + " --reverse to list it downwards)");
      }
      range = KeyRange.between(lower, upper);
    }
    return reverse ? range.reverse() : range;
  }

  /** Where entries go. */
  private interface Output {
    /** One entry; {@code value} is null under --keys-only. */
    void entry(byte[] key, byte[] value);

    void finish(long count, boolean more);
  }

  private final class JsonLines implements Output {
    private final PrintWriter out;

    JsonLines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void entry(byte[] key, byte[] value) {
      Encoding kf = keyFormat.output(key);
      Json.ObjectBuilder o = Json.object(true).add("key", kf.encode(key)).add("keyFormat", kf.label);
      if (value != null) {
        Encoding vf = valueFormat.output(value);
        o.add("value", vf.encode(value)).add("valueFormat", vf.label);
      }
      out.println(o.toString());
    }

    @Override
    public void finish(long count, boolean more) {
      // JSON Lines and nothing else.
    }
  }

  private final class Table implements Output {
    private final PrintWriter out;
    private final StreamingTable table;
    private boolean cut;

    Table(PrintWriter out) {
      this.out = out;
      this.table = keysOnly
          ? new StreamingTable(out, "", "L", TABLE_BUFFER, "KEY")
          : new StreamingTable(out, "", "LRL", TABLE_BUFFER, "KEY", "SIZE", "VALUE");
    }

    @Override
    public void entry(byte[] key, byte[] value) {
      String k = cell(key, keyFormat.format, 0);
      if (value == null) {
        table.row(k);
      } else {
        table.row(k, String.format(Locale.ROOT, "%,d", value.length),
            cell(value, valueFormat.format, valueWidth));
      }
    }

    /**
     * {@code bytes} for a table cell: in {@code format}, or as text or 0x-hex if it is null;
     * control characters made visible; cut to {@code width} characters unless it is 0.
     */
    private String cell(byte[] bytes, Encoding format, int width) {
      Encoding f = format != null ? format : Encoding.auto(bytes);
      // Encode no more than the cell can show: a prefix of the bytes gives a prefix of the text.
      int room = width == 0 ? Integer.MAX_VALUE : width + 1;
      String s = switch (f) {
        case UTF8 -> visible(Encoding.utf8(bytes), room);
        case HEX -> (format == null ? "0x" : "") + Encoding.hex(bytes, room / 2 + 1);
        case BASE64 -> Base64.getEncoder().encodeToString(
            bytes.length / 3 <= room / 4 ? bytes : Arrays.copyOf(bytes, (room / 4 + 1) * 3));
      };
      if (width == 0 || s.length() <= width) {
        return s;
      }
      cut = true;
      int end = width - 3;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      return s.substring(0, end) + "...";
    }

    @Override
    public void finish(long count, boolean more) {
      table.finish();
      String what = keysOnly ? (count == 1 ? "key" : "keys") : (count == 1 ? "entry" : "entries");
      if (count == 0) {
        out.println("(no " + (keysOnly ? "keys" : "entries") + " in this range)");
        return;
      }
      String counted = count == 1 ? "1 " + what : String.format(Locale.ROOT, "%,d %s", count, what);
      out.println(more
          ? "(the first " + (count == 1 ? what : counted) + "; more follow: raise --limit to see them)"
          : "(" + counted + ")");
      if (cut) {
        out.printf(Locale.ROOT, "(values longer than %d characters are cut: see them in full with"
            + " 'sett get', --json or --value-width 0)%n", valueWidth);
      }
    }
  }

  /**
   * The first {@code max} characters of {@code s}, with control characters written as escapes
   * ({@code \n}, {@code \t}, {@code \r}, else a backslash-u escape) so that a row stays one line.
   */
  static String visible(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
