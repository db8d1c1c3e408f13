package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.core.Sett;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs YCSB's {@code site.ycsb.Client} in a fresh JVM, as run-ycsb.sh does: the Client ends with
 * {@code System.exit} and keeps its measurements in a JVM-wide singleton, so it cannot run twice in
 * the test JVM. The child gets this JVM's class path (test classes included), the JVM flags Sett
 * needs on this JDK, and a small heap; C1 only, since a run of a few thousand operations ends
 * before C2 would pay off.
 */
final class YcsbClient {
  private static final long TIMEOUT_SECONDS = 60;

  private YcsbClient() {
  }

  /** The path of one of the module's workload files, such as {@code workloada}. */
  static String workload(String name) {
    try {
      return Path.of(YcsbClient.class.getResource("/workloads/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the Client with {@code args} and returns what its exporter wrote, which goes to
   * {@code <dir>/<name>.txt}; its console goes to {@code <dir>/<name>.log}.
   */
  static YcsbOutput run(Path dir, String name, String... args) throws IOException, InterruptedException {
    Path export = dir.resolve(name + ".txt");
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    command.addAll(Arrays.asList(Sett.requiredJvmFlags().split(" ")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "site.ycsb.Client"));
    command.addAll(Arrays.asList(args));
    command.addAll(List.of("-p", "exportfile=" + export));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      fail("YCSB " + name + " did not end within " + TIMEOUT_SECONDS + " s; its console:\n" + console(log));
    }
    if (!Files.isRegularFile(export)) {
      fail("YCSB " + name + " exported nothing (status " + process.exitValue() + "); its console:\n" + console(log));
    }
    return YcsbOutput.read(export);
  }

  /** The console log, for a failure message. */
  static String console(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
