package dev.sett.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link ReliabilityChildMain} with the test classpath and Sett's flags, tuned to
 * start fast (C1 only, serial GC, small heap): the kill -9 suites start hundreds of them.
 */
final class ReliabilityChild implements AutoCloseable {
  final Process process;
  final BufferedReader out;

  private ReliabilityChild(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static ReliabilityChild start(List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Ddisable.perf.info=true", "-Dslf4j.internal.verbosity=ERROR"));
    cmd.addAll(Arrays.asList(ChronicleSupport.requiredFlags().split(" ")));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ReliabilityChildMain.class.getName());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ReliabilityChild(pb.start());
  }

  /** The next line of output, or null at its end. */
  String line() throws IOException {
    return out.readLine();
  }

  /**
   * SIGKILL, without closing the pipes ({@code Process.destroyForcibly} closes them, which would
   * lose the output the child wrote before it died): the caller reads on to the end.
   */
  void kill() {
    process.toHandle().destroyForcibly();
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    out.close();
  }
}
