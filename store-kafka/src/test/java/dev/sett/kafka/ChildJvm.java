package dev.sett.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starting a class of this module's tests in a JVM of its own, with Sett's flags, and reading what it prints. */
final class ChildJvm {
  private ChildJvm() {
  }

  /** The command line that runs {@code main} with {@code args}, the test class path and a heap of {@code heap}. */
  static List<String> command(String heap, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms" + heap, "-Xmx" + heap, "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code command} to its end and returns the {@code name value} lines it printed. */
  static Map<String, String> figures(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, String> figures = new LinkedHashMap<>();
    for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length == 2) {
        figures.put(f[0], f[1]);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command.get(command.size() - 1) + " child failed: " + figures);
    }
    return figures;
  }

  /**
   * Adds this JVM's heap after two full collections ({@code heap-mib-after-gc}) and its resident
   * memory ({@code rss-mib}, from /proc) to {@code figures}.
   */
  static void addMemoryFigures(Map<String, String> figures) throws IOException {
    System.gc();
    System.gc();
    figures.put("heap-mib-after-gc", String.format("%.1f",
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0));
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        figures.put("rss-mib", String.format("%.0f", Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0));
      }
    }
  }

  /** Kilobytes {@code du -sk} says {@code dir} takes on disk. */
  static long duKib(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return Long.parseLong(out.split("\\s+")[0]);
  }
}
