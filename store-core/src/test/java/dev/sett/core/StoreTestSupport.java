package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers shared by the engine tests. */
final class StoreTestSupport {
  private StoreTestSupport() {
  }

  /**
   * Bytes the file system allocated to {@code path} (a file, or a directory and everything in it),
   * as {@code du} counts them (the block count is not among the attributes Java exposes); -1 where
   * {@code du} cannot run.
   */
  static long allocatedBytes(Path path) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("du", "-sk", path.toString()).redirectErrorStream(true).start();
    } catch (IOException noDu) {
      return -1;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      fail("du hung");
    }
    assertEquals(0, p.exitValue(), out);
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What {@code c} shows from where it stands to its end, as "key=value" text. */
  static List<String> entries(dev.sett.api.Cursor c) {
    List<String> out = new java.util.ArrayList<>();
    while (c.next()) {
      out.add(s(c.key().toByteArray()) + "=" + s(c.value().toByteArray()));
    }
    return out;
  }

  static String s(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Lines of /proc/self/maps that map a file under {@code dir}. */
  static List<String> mappingsUnder(Path dir) throws IOException {
    String prefix = dir.toRealPath().toString();
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains(prefix)).collect(Collectors.toList());
    }
  }

  /**
   * Fails unless no Chronicle mapping of a file under {@code dir} is left. JDK mappings made for
   * views are released by the garbage collector, so the check waits for it.
   */
  static void assertNothingMapped(Path dir) throws IOException, InterruptedException {
    ChronicleSupport.releasePending();
    for (int i = 0; i < 50; i++) {
      if (mappingsUnder(dir).isEmpty()) {
        return;
      }
      System.gc();
      Thread.sleep(20);
    }
    fail("mappings left under " + dir + ": " + mappingsUnder(dir));
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().collect(Collectors.toList());
    }
  }

  static List<Path> hintFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".hint")).sorted().collect(Collectors.toList());
    }
  }

  static void assertValue(String expected, byte[] actual) {
    assertEquals(expected, s(actual));
  }
}
