package dev.sett.core;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The parent's side of {@link ReliabilityChildMain}'s {@code ops} mode: keeps the model of one store
 * directory across child runs, reads a child's acknowledgements, and after the child died checks
 * the store (opened read-only in this JVM) against the model.
 */
final class WorkloadChecker {
  final Path store;
  final SyncMode mode;
  final long seed;
  private final Map<Integer, Long> model = new HashMap<>();
  /** Index of the next operation a child should run. */
  long next;
  private long last = -1;
  long acknowledged;
  long compactedSegments;
  int maxSegments;
  int checks;

  WorkloadChecker(Path store, SyncMode mode, long seed) {
    this.store = store;
    this.mode = mode;
    this.seed = seed;
  }

  /** Arguments for a child that runs at most {@code max} operations from {@link #next}. */
  String[] childArgs(long max) {
    last = next - 1;
    return new String[] {"ops", store.toString(), mode.name(), Long.toString(seed), Long.toString(next),
        Long.toString(max)};
  }

  /** Handles one line of the child's output; fails on a failed open or unexpected output. */
  void line(String line, String where) {
    if (line.startsWith("a ")) {
      String[] parts = line.split(" ");
      last = Long.parseLong(parts[1]);
      if (parts.length > 2) {
        compactedSegments += Long.parseLong(parts[3]);
      }
    } else if (line.startsWith("opened ")) {
      maxSegments = Math.max(maxSegments, Integer.parseInt(line.substring(7)));
    } else if (!line.equals("done")) {
      fail(where + " (" + mode + ", seed " + seed + "): " + (line.startsWith("failed") ? "failed open: " : "unexpected output: ") + line);
    }
  }

  /**
   * After the child died: the store must open and equal the model after the last acknowledged
   * operation, or after the one in flight as well.
   */
  void verify(String where) {
    acknowledged += last - next + 1;
    for (long i = next; i <= last; i++) {
      ReliabilityWorkload.apply(model, seed, i);
    }
    Map<String, byte[]> actual;
    try (Store s = Sett.open(store, ReliabilityWorkload.options(mode).toBuilder().readOnly(true).build())) {
      actual = ReliabilityWorkload.contents(s);
    } catch (StoreException e) {
      throw new AssertionError(where + ": failed open after the child died (seed " + seed + ")", e);
    }
    checks++;
    String without = ReliabilityWorkload.diff(actual, model, seed, null, -1);
    if (without == null) {
      next = last + 1;
      return;
    }
    String with = ReliabilityWorkload.diff(actual, model, seed, ReliabilityWorkload.op(seed, last + 1), last + 1);
    if (with != null) {
      fail(where + " (" + mode + ", seed " + seed + "), " + (last + 1) + " operations acknowledged: " + without);
    }
    ReliabilityWorkload.apply(model, seed, last + 1);
    next = last + 2;
  }
}
