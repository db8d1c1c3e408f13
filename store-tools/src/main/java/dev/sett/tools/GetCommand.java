package dev.sett.tools;

import dev.sett.api.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett get DIR KEY}: prints one value. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    header = "Prints the value of a key (read-only).",
    description = {
        "Prints the value of KEY in the store in DIR, followed by a line break. A value that is not"
            + " printable text is printed in hex with a 0x prefix, unless --value-format says"
            + " otherwise.",
        "Opens the store read-only, so it never changes a byte and may run while other read-only"
            + " commands use the store (not while a program writes to it); the value's checksum is"
            + " verified.",
        "Exits with 1 and one line on stderr if the key is absent.",
        "With --json: one object {\"key\", \"keyFormat\", \"value\", \"valueFormat\"}, the"
            + " key written as you gave it, the value in its format; non-ASCII characters are"
            + " escaped (\\uXXXX)."})
final class GetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "KEY", description = "The key, in --key-format (put -- before"
      + " a key that starts with '-').")
  String key;

  @Mixin
  SharedOptions.KeyFormat keyFormat;

  @Mixin
  SharedOptions.ValueFormat valueFormat;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    byte[] k = keyFormat.parse(key, "KEY");
    Path abs = dir.toAbsolutePath().normalize();
    byte[] value;
    try (Store store = StoreAccess.openReadOnly(abs)) {
      value = store.get(k);
    }
    if (value == null) {
      throw new CliException(SettCli.EXIT_DATA, "key " + Encoding.describe(k) + " is not in the store "
          + abs + "; list its keys with 'sett scan " + dir + " --keys-only'");
    }
    Encoding format = valueFormat.output(value);
    if (!format.canEncode(value)) {
      throw SharedOptions.notUtf8("the value of key " + Encoding.describe(k), "--value-format");
    }
    String text = format.encode(value);
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      Encoding kf = keyFormat.format == null ? Encoding.UTF8 : keyFormat.format;
      out.println(Json.object(true)
          .add("key", kf.encode(k))
          .add("keyFormat", kf.label)
          .add("value", text)
          .add("valueFormat", format.label)
          .toString());
    } else {
      out.println(valueFormat.format == null && format == Encoding.HEX ? "0x" + text : text);
    }
    out.flush();
    return SettCli.EXIT_OK;
  }
}
