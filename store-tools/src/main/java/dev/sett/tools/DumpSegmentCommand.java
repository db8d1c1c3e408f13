package dev.sett.tools;

import dev.sett.api.RecordInfo;
import dev.sett.api.SegmentDump;
import dev.sett.api.SegmentVisitor;
import dev.sett.api.StoreException;
import dev.sett.core.Sett;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett dump-segment FILE}: the header and every record of one segment file (read-only). */
@Command(
    name = "dump-segment",
    mixinStandardHelpOptions = true,
    header = "Lists the header and every record of one segment file (read-only).",
    description = {
        "Prints the 64-byte header of FILE (a NNNNNNNNNN.seg file of a store), then one line per record:"
            + " offset, sequence, type (put or delete), commit (C: the last record of its write, -: a"
            + " record of a batch whose last record follows), key and value sizes, and whether the"
            + " record's CRC32C matches. Where the framing is damaged it says so, with the offset, and"
            + " goes on at the next sound record; the last line says where and how the data ends (the"
            + " end marker, a damaged tail, or a file shorter than its header says).",
        "Maps the file read-only and takes no lock: it never changes a byte and works on a segment of a"
            + " store another process has open (a record being written may then show as a damaged tail).",
        "Exit code 0 when the segment is sound, 1 when anything is wrong with it.",
        "An expiring put (format version 2) shows 'expires <instant>' after its checksum.",
        "With --json: one object per record {\"offset\",\"sequence\",\"type\",\"commit\",\"keySize\","
            + "\"valueSize\",\"crc\",\"crcOk\",\"expiresAt\"} (\"expiresAt\" an ISO-8601 instant or null; with --raw also \"key\" and \"value\" in hex, the value cut"
            + " to --max-bytes), one {\"damageAt\",\"resumesAt\",\"problem\"} per damaged stretch, and last"
            + " a summary {\"file\",\"fileSize\",\"headerProblem\",\"formatVersion\",\"segmentId\","
            + "\"segmentSize\",\"created\",\"records\",\"badChecksums\",\"damages\",\"uncommitted\",\"end\","
            + "\"ending\",\"ok\"}."})
final class DumpSegmentCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A segment file (NNNNNNNNNN.seg).")
  Path file;

  @Option(names = "--raw", description = "Also print each record's key and value bytes in hex.")
  boolean raw;

  @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "32",
      description = "With --raw, print at most N bytes of each key and value (default: ${DEFAULT-VALUE}).")
  int maxBytes;

  @Mixin
  SharedOptions.JsonOutput json;

  @Override
  public Integer call() {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new CliException(SettCli.EXIT_STORE, abs + (Files.isDirectory(abs) ? " is a directory; give one of"
          + " its NNNNNNNNNN.seg files" : " does not exist; check the path"));
    }
    if (maxBytes < 0) {
      throw new CliException(SettCli.EXIT_USAGE, "--max-bytes must be 0 or more, not " + maxBytes);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json.enabled) {
      out.printf(Locale.ROOT, "%10s  %12s  %-6s  %1s  %6s  %10s  %8s  %s%n", "offset", "sequence", "type", "c",
          "key", "value", "crc", "crc ok");
    }
    SegmentDump dump;
    try {
      dump = Sett.dumpSegment(abs, raw ? maxBytes : 0, new Printer(out));
    } catch (StoreException e) {
      throw new CliException(SettCli.EXIT_STORE, "cannot read " + abs + ": " + e.getMessage(), e);
    }
    if (json.enabled) {
      out.println(Json.object(true).add("file", abs.toString()).add("fileSize", dump.fileSize())
          .add("headerProblem", dump.headerProblem()).add("formatVersion", dump.formatVersion())
          .add("segmentId", dump.segmentId()).add("segmentSize", dump.segmentSize())
          .add("created", dump.createdMillis() == 0 ? null : Instant.ofEpochMilli(dump.createdMillis()).toString())
          .add("records", dump.records()).add("badChecksums", dump.badChecksums()).add("damages", dump.damages())
          .add("uncommitted", dump.uncommitted()).add("end", dump.end())
          .add("ending", dump.ending().name().toLowerCase(Locale.ROOT)).add("ok", dump.ok()));
    } else {
      summary(out, abs, dump);
    }
    out.flush();
    return dump.ok() ? SettCli.EXIT_OK : SettCli.EXIT_DATA;
  }

  private static void summary(PrintWriter out, Path abs, SegmentDump d) {
    out.println("file " + abs + ", " + d.fileSize() + " bytes");
    if (d.headerProblem() != null) {
      out.println("header: " + d.headerProblem());
    }
    if (d.segmentSize() > 0) {
      out.println("header: format " + d.formatVersion() + ", segment " + d.segmentId() + ", size " + d.segmentSize()
          + ", created " + Instant.ofEpochMilli(d.createdMillis()));
    }
    if (d.segmentSize() > 0 && d.fileSize() < d.segmentSize()) {
      out.println("the file is " + d.fileSize() + " bytes, shorter than the " + d.segmentSize()
          + " its header gives (truncated)");
    }
    if (d.uncommitted() > 0) {
      out.println(d.uncommitted() + " record(s) at the end belong to a write whose last record never came"
          + " (an open ignores them)");
    }
    String ending = switch (d.ending()) {
      case END_MARKER -> "the data ends at offset " + d.end() + " (end marker: zeros)";
      case DAMAGED_TAIL -> "the framing stops at offset " + d.end() + ": damage with no sound record after it (a"
          + " torn tail if this is the store's newest segment)";
      case FILE_TOO_SHORT -> "the framing stops at offset " + d.end() + ": the file ends there";
    };
    out.println(ending);
    // "3 records read, 1 damaged", not "damaged: 3 record(s)", which read as if all 3 were damaged.
    out.println((d.ok() ? "ok: " : "damaged: ") + d.records() + (d.records() == 1 ? " record" : " records")
        + " read, " + d.badChecksums() + " damaged (bad checksum), " + d.damages()
        + (d.damages() == 1 ? " damaged stretch" : " damaged stretches") + " of framing");
  }

  /** Prints each record and damage as the dump finds it. */
  private final class Printer implements SegmentVisitor {
    private final PrintWriter out;

    Printer(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void record(RecordInfo r) {
      String type = r.type() == RecordInfo.Type.PUT ? "put" : "delete";
      String crc = String.format(Locale.ROOT, "%08x", r.storedCrc());
      if (json.enabled) {
        Json.ObjectBuilder o = Json.object(true).add("offset", r.offset()).add("sequence", r.sequence())
            .add("type", type).add("commit", r.commit()).add("keySize", r.keyLength())
            .add("valueSize", r.valueLength()).add("crc", crc).add("crcOk", r.crcOk())
            .add("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
        if (raw) {
          o.add("key", Encoding.hex(r.key(), maxBytes)).add("value", Encoding.hex(r.valuePrefix(), maxBytes));
        }
        out.println(o);
        return;
      }
      out.printf(Locale.ROOT, "%10d  %12d  %-6s  %1s  %6d  %10d  %8s  %s%s%n", r.offset(), r.sequence(), type,
          r.commit() ? "C" : "-", r.keyLength(), r.valueLength(), crc, r.crcOk() ? "ok" : "BAD",
          r.expiresAt() == null ? "" : "  expires " + r.expiresAt());
      if (raw) {
        out.println("            key   " + hex(r.key(), r.keyLength()));
        if (r.type() == RecordInfo.Type.PUT) {
          out.println("            value " + hex(r.valuePrefix(), r.valueLength()));
        }
      }
    }

    private String hex(byte[] bytes, int length) {
      String h = Encoding.hex(bytes, maxBytes);
      int shown = Math.min(maxBytes, bytes.length);
      return (h.isEmpty() ? "(empty)" : h) + (length > shown ? " ... (" + length + " bytes)" : "");
    }

    @Override
    public void damaged(long offset, long resumesAt, String problem) {
      if (json.enabled) {
        out.println(Json.object(true).add("damageAt", offset).add("resumesAt", resumesAt).add("problem", problem));
      } else {
        out.println("DAMAGE at offset " + offset + ": " + problem + (resumesAt < 0 ? "; no sound record after it"
            : "; next sound record at offset " + resumesAt));
      }
    }
  }
}
