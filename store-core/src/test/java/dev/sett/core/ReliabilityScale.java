package dev.sett.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * How big the reliability suites run, and where they write the figures they reached.
 *
 * <p>The system property {@code sett.reliability} (set by the parent POM from the Maven property of
 * the same name) is {@code ci} for the short versions {@code .ci/run} runs, or {@code long} for the
 * on-demand ones that {@code scripts/reliability.sh} starts. Each suite asks {@link #pick} for its
 * size, and calls {@link #record} once with what it actually ran and found, so the README can quote
 * a real run: the lines collect in {@code target/reliability-figures.md} of the module.
 */
final class ReliabilityScale {
  private ReliabilityScale() {
  }

  static boolean isLong() {
    return "long".equals(System.getProperty("sett.reliability", "ci"));
  }

  /** {@code ci} in the short run, {@code long} in the on-demand one. */
  static int pick(int ci, int longRun) {
    return isLong() ? longRun : ci;
  }

  static long pick(long ci, long longRun) {
    return isLong() ? longRun : ci;
  }

  /** Appends one line, {@code | suite | level | figures |}, to the module's figures file. */
  static synchronized void record(String suite, String figures) {
    String line = "| " + suite + " | " + (isLong() ? "long" : "ci") + " | " + figures + " | "
        + Instant.now() + " |\n";
    Path file = Path.of("target", "reliability-figures.md");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record reliability figures in " + file.toAbsolutePath(), e);
    }
    System.out.println("RELIABILITY " + line.trim());
  }
}
