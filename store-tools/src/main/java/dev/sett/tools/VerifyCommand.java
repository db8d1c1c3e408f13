package dev.sett.tools;

import dev.sett.api.VerifyReport;
import dev.sett.core.Sett;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett verify DIR}: checks every record and hint file of a store (read-only). */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    header = "Checks every record and hint file of a store (read-only).",
    description = {
        "Checks the framing and CRC32C of every record of every segment in DIR (including segments"
            + " an open would skip thanks to their hint files) and every hint file against its"
            + " segment. Changes nothing; needs the store closed by writers.",
        "Exit code 0 when the store is sound, 1 with the file and offset of each problem otherwise.",
        "With --json: {\"directory\":...,\"segments\":N,\"records\":N,\"bytes\":N,\"ok\":true|false,"
            + "\"problems\":N} on the first line, then one {\"file\":...,\"offset\":N,\"problem\":...} line"
            + " per problem."})
final class VerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
  Path dir;

  @Mixin
  SharedOptions.JsonOutput json;

  @Mixin
  SharedOptions.NoProgress noProgress;

  @Override
  public Integer call() {
    Path abs = dir.toAbsolutePath().normalize();
    StoreAccess.requireDirectory(abs, "verify");
    VerifyReport report = noProgress.progress().around("verifying " + abs.getFileName(), () -> Sett.verify(abs));
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.object(true).add("directory", abs.toString()).add("segments", report.segments())
          .add("records", report.records()).add("bytes", report.bytes()).add("ok", report.ok())
          .add("problems", report.problems().size()));
      for (VerifyReport.Problem p : report.problems()) {
        out.println(Json.object(true).add("file", p.file().toString()).add("offset", p.offset())
            .add("problem", p.problem()));
      }
    } else {
      for (VerifyReport.Problem p : report.problems()) {
        out.println(p.file() + " at offset " + p.offset() + ": " + p.problem());
      }
      out.println((report.ok() ? "ok: " : report.problems().size() + " problem(s) in ") + abs + ": "
          + report.segments() + " segment(s), " + report.records() + " record(s), " + report.bytes()
          + " bytes checked");
    }
    out.flush();
    return report.ok() ? SettCli.EXIT_OK : SettCli.EXIT_DATA;
  }
}
