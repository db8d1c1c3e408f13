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
   * memory ({@code rss-mib}, from /proc) to {@code figures}, split into anonymous memory (the
   * JVM's heap as committed, native allocations such as RocksDB's block cache and memtables:
   * {@code rss-anon-mib}) and pages of files mapped into the process ({@code rss-file-mib}: Sett's
   * segments it read or wrote through its mappings, which the kernel reclaims like any page cache
   * when memory runs short; RocksDB reads its files with {@code pread}, so the same cache is not
   * counted in its RSS at all).
   */
  static void addMemoryFigures(Map<String, String> figures) throws IOException {
    System.gc();
    System.gc();
    figures.put("heap-mib-after-gc", String.format("%.1f",
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0));
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        figures.put("rss-mib", mib(line));
      } else if (line.startsWith("RssAnon:")) {
        figures.put("rss-anon-mib", mib(line));
      } else if (line.startsWith("RssFile:")) {
        figures.put("rss-file-mib", mib(line));
      }
    }
  }

  /** The kB figure of a /proc/self/status line, in MiB. */
  private static String mib(String statusLine) {
    String kib = statusLine.substring(statusLine.indexOf(':') + 1).trim().split("\\s+")[0];
    return String.format("%.0f", Long.parseLong(kib) / 1024.0);
  }

  /** Kilobytes {@code du -sk} says {@code dir} takes on disk. */
  static long duKib(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return Long.parseLong(out.split("\\s+")[0]);
  }
}
