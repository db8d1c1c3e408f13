package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops a child JVM at every named crash point of {@link CrashPoints#ALL} (append, batch record,
 * roll, seal force, hint write, each step of compaction, segment delete), at its N-th hit for
 * varying N, while it runs {@link ReliabilityWorkload} (puts, batches, deletes, syncs, compactions)
 * on a store directory that lives through all runs. After each stop the store must open read-only
 * in this JVM and the next child's read-write open must succeed, with every acknowledged operation
 * present and no wrong value ({@link WorkloadChecker}).
 *
 * <p>Two chains run side by side, one per sync mode, each with its own store. CI: every point
 * stopped at 10 times (5 per chain); {@code -Dsett.reliability=long}: 100 times. A run that
 * never reaches its point within the operation budget does not count; the test fails if a point is
 * not reached often enough.
 */
@Tag("reliability")
class CrashPointCoverageTest {
  @TempDir Path dir;

  /** Largest N tried at each point: about how often a few hundred operations pass it. */
  private static int maxHit(String point) {
    switch (point) {
      case CrashPoints.APPEND:
        return 150;
      case CrashPoints.BATCH_RECORD:
        return 60;
      case CrashPoints.COMPACTION_COPIED:
        return 12;
      case CrashPoints.ROLL:
      case CrashPoints.SEAL_FORCED:
      case CrashPoints.SEAL_HINT:
        return 8;
      default:
        return 3;
    }
  }

  @Test
  void everyCrashPointLeavesAStoreWithEveryAcknowledgedWrite() throws Exception {
    int target = ReliabilityScale.pick(10, 100);
    long seed = System.nanoTime();
    long start = System.nanoTime();
    // Two chains side by side (a run is mostly a JVM start), each stopping at every point half the times.
    WorkloadChecker[] checkers = {
        new WorkloadChecker(dir.resolve("always"), SyncMode.ALWAYS, seed),
        new WorkloadChecker(dir.resolve("none"), SyncMode.NONE, seed + 1)};
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Map<String, Integer>>> results = new ArrayList<>();
    try {
      for (int c = 0; c < 2; c++) {
        WorkloadChecker checker = checkers[c];
        int share = (target + 1 - c) / 2;
        results.add(pool.submit(() -> chain(checker, share)));
      }
      Map<String, Integer> stops = new LinkedHashMap<>();
      for (Future<Map<String, Integer>> f : results) {
        try {
          f.get().forEach((p, h) -> stops.merge(p, h, Integer::sum));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error) {
            throw (Error) e.getCause();
          }
          throw e;
        }
      }
      List<String> parts = new ArrayList<>();
      int runs = 0;
      for (String point : CrashPoints.ALL) {
        assertTrue(stops.getOrDefault(point, 0) >= target, point + " stopped at only " + stops.get(point) + " times");
        parts.add(point + " " + stops.get(point));
      }
      runs = checkers[0].checks + checkers[1].checks;
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      ReliabilityScale.record("named crash points", runs + " child runs (ALWAYS and NONE), stops per point: "
          + String.join(", ", parts) + "; " + (checkers[0].acknowledged + checkers[1].acknowledged)
          + " operations acknowledged, " + runs + " reopen checks, 0 lost, 0 wrong values, 0 failed opens, "
          + seconds + " s");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  /** Stops children at every point {@code target} times on {@code checker}'s store; returns the stops. */
  private Map<String, Integer> chain(WorkloadChecker checker, int target) throws Exception {
    Random rnd = new Random(checker.seed);
    Map<String, Integer> stops = new LinkedHashMap<>();
    int runs = 0;
    for (String point : CrashPoints.ALL) {
      int hits = 0;
      int attempts = 0;
      while (hits < target && attempts < 3 * target) {
        attempts++;
        runs++;
        int n = 1 + rnd.nextInt(maxHit(point));
        String where = point + ":" + n + " (run " + runs + ")";
        int exit;
        try (ReliabilityChild child = ReliabilityChild.start(List.of("-Dsett.crashPoint=" + point + ":" + n),
            checker.childArgs(checker.mode == SyncMode.ALWAYS ? 1500 : 3000))) {
          String line;
          while ((line = child.line()) != null) {
            checker.line(line, where);
          }
          assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), where + ": the child did not end");
          exit = child.process.exitValue();
        }
        assertTrue(exit == 0 || exit == CrashPoints.EXIT_STATUS, where + ": the child failed with status " + exit);
        if (exit == CrashPoints.EXIT_STATUS) {
          hits++;
        }
        checker.verify(where);
      }
      assertEquals(target, hits, point + " was reached only " + hits + " times in " + attempts + " runs ("
          + checker.mode + ")");
      stops.put(point, hits);
    }
    return stops;
  }
}
