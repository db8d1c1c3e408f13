package dev.sett.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs the sett command line in this JVM, capturing what it prints. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SettCli.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** The lines of stderr, without a trailing empty one. */
  List<String> errLines() {
    return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
  }

  /** For assertion messages. */
  String describe() {
    return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}
