package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 at random moments while a child JVM writes, syncs and compacts: every acknowledged write
 * survives, every open succeeds, and no key ever holds a value that was not written to it.
 *
 * <p>One store directory per sync mode lives through all cycles, so it keeps growing, rolling 64 KiB
 * segments, and being compacted (background compaction plus explicit {@code compact()} calls). A
 * cycle starts a child on the existing store, lets it run {@link ReliabilityWorkload} for a random
 * 50 to 600 ms, kills it, and then opens the store read-only in this JVM (cheaper than a JVM start;
 * the next child's read-write open is checked too). Acknowledged means returned: the child prints
 * {@code a I} after operation I returned. Under {@code ALWAYS} that is the durability guarantee;
 * under {@code NONE} a returned write must survive a process crash too (it is in the page cache), so
 * the check is the same and covers "returned from {@code sync()}" a fortiori. Because one thread
 * writes, the recovered store must equal the model after the last acknowledged operation, or after
 * the one in flight as well (a batch entirely or not at all).
 *
 * <p>CI: 150 cycles per mode (300); {@code -Dsett.reliability=long}: 2,500 per mode (5,000).
 */
@Tag("reliability")
@Tag("slow")
class KillNineCyclesTest {
  @TempDir Path dir;
  private static ScheduledExecutorService killer;
  private static final Map<SyncMode, String> FIGURES = new HashMap<>();

  @BeforeAll
  static void startKiller() {
    killer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "killer");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stopKiller() {
    killer.shutdownNow();
    if (!FIGURES.isEmpty()) {
      ReliabilityScale.record("kill -9 cycles", String.join("; ", FIGURES.values()));
    }
  }

  @ParameterizedTest
  @EnumSource(SyncMode.class)
  void acknowledgedWritesSurviveKillNineWhileWritingSyncingAndCompacting(SyncMode mode) throws Exception {
    int cycles = ReliabilityScale.pick(150, 2500);
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    WorkloadChecker checker = new WorkloadChecker(dir.resolve("store"), mode, seed);
    long start = System.nanoTime();
    for (int cycle = 0; cycle < cycles; cycle++) {
      String where = mode + " cycle " + cycle;
      int delay = 50 + rnd.nextInt(551);
      try (ReliabilityChild child = ReliabilityChild.start(List.of(), checker.childArgs(Long.MAX_VALUE / 2))) {
        String line = child.line();
        assertNotNull(line, where + ": the child printed nothing");
        checker.line(line, where);
        ScheduledFuture<?> kill = killer.schedule(child::kill, delay, TimeUnit.MILLISECONDS);
        while ((line = child.line()) != null) {
          checker.line(line, where);
        }
        assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), where + ": the child did not die");
        assertTrue(kill.isDone() && !kill.isCancelled(), where + ": the child exited by itself with status "
            + child.process.exitValue());
      }
      checker.verify(where);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    FIGURES.put(mode, mode + ": " + cycles + " cycles (kill -9 each), " + checker.acknowledged + " operations acknowledged, "
        + checker.compactedSegments + " segments compacted by explicit compact(), at most " + checker.maxSegments
        + " segments, 0 lost, 0 wrong values, 0 failed opens, " + seconds + " s");
  }
}
