package dev.sett.tools;

import dev.sett.api.KeyLocation;
import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
        "With --meta: where the value is stored instead of the value: segment id and file, offset,"
            + " sequence number, stored CRC32C and whether it matches, value and record sizes, and when"
            + " the value expires if it was written with a ttl (exit 1 if the checksum does not match).",
        "With --json: one object {\"key\", \"keyFormat\", \"value\", \"valueFormat\"}, the"
            + " key written as you gave it, the value in its format; non-ASCII characters are"
            + " escaped (\\uXXXX). With --meta also \"segment\", \"file\", \"offset\", \"sequence\","
            + " \"crc\" (8 hex digits), \"crcOk\", \"valueSize\", \"recordSize\" and \"expiresAt\" (an"
            + " ISO-8601 instant, or null if it never expires); \"value\" is then null if the checksum"
            + " does not match."})
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

  @Option(names = "--meta", description = "Print where the value is stored (segment, offset, sequence,"
      + " CRC, sizes) instead of the value.")
  boolean meta;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    byte[] k = keyFormat.parse(key, "KEY");
    Path abs = dir.toAbsolutePath().normalize();
    byte[] value;
    KeyLocation location = null;
    try (Store store = StoreAccess.openReadOnly(abs)) {
      if (meta) {
        location = Sett.locate(store, k);
      }
      value = location != null && !location.crcOk() ? null : store.get(k);
    }
    if (location != null) {
      return printMeta(k, location, value);
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

  private int printMeta(byte[] k, KeyLocation at, byte[] value) {
    PrintWriter out = spec.commandLine().getOut();
    String crc = String.format(Locale.ROOT, "%08x", at.storedCrc());
    if (json.enabled) {
      Encoding kf = keyFormat.format == null ? Encoding.UTF8 : keyFormat.format;
      Encoding vf = value == null ? Encoding.HEX : valueFormat.output(value);
      out.println(Json.object(true)
          .add("key", kf.encode(k))
          .add("keyFormat", kf.label)
          .add("value", value == null || !vf.canEncode(value) ? null : vf.encode(value))
          .add("valueFormat", vf.label)
          .add("segment", at.segmentId())
          .add("file", at.file().toAbsolutePath().toString())
          .add("offset", at.offset())
          .add("sequence", at.sequence())
          .add("crc", crc)
          .add("crcOk", at.crcOk())
          .add("valueSize", at.valueLength())
          .add("recordSize", at.recordSize())
          .add("expiresAt", at.expiresAt() == null ? null : at.expiresAt().toString())
          .toString());
    } else {
      out.println("key       " + Encoding.describe(k));
      out.println("segment   " + at.segmentId() + " (" + at.file().toAbsolutePath() + ")");
      out.println("offset    " + at.offset());
      out.println("sequence  " + at.sequence());
      out.println("crc       " + crc + (at.crcOk() ? " (ok)" : " (BAD: does not match the record)"));
      out.println("value     " + at.valueLength() + " bytes (record " + at.recordSize() + " bytes)");
      out.println("expires   " + (at.expiresAt() == null ? "never" : at.expiresAt().toString()));
    }
    out.flush();
    if (!at.crcOk()) {
      spec.commandLine().getErr().println("sett: the record of key " + Encoding.describe(k) + " in "
          + at.file() + " at offset " + at.offset() + " fails its checksum; the store is damaged: keep a copy"
          + " of its directory, then see 'sett repair --help'");
      spec.commandLine().getErr().flush();
      return SettCli.EXIT_DATA;
    }
    return SettCli.EXIT_OK;
  }
}
