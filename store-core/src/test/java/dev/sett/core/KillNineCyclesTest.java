package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * the one in flight as well (a batch entirely or not at all); see {@link WorkloadChecker}.
 *
 * <p>The two modes run side by side (two chains of cycles), which roughly halves the wall time on
 * two cores: a cycle is mostly a JVM start. CI: 150 cycles per mode (300);
 * {@code -Dsett.reliability=long}: 2,500 per mode (5,000).
 */
@Tag("reliability")
@Tag("slow")
class KillNineCyclesTest {
  /** Exit status of a process killed by SIGKILL. */
  static final int KILLED = 128 + 9;

  @TempDir Path dir;
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "killer");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService chains = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() throws InterruptedException {
    chains.shutdownNow();
    chains.awaitTermination(60, TimeUnit.SECONDS);
    killer.shutdownNow();
  }

  @Test
  void acknowledgedWritesSurviveKillNineWhileWritingSyncingAndCompacting() throws Exception {
    int cycles = ReliabilityScale.pick(150, 2500);
    long seed = System.nanoTime();
    List<Future<String>> results = new ArrayList<>();
    for (SyncMode mode : SyncMode.values()) {
      long chainSeed = seed + mode.ordinal();
      results.add(chains.submit(() -> chain(mode, cycles, chainSeed)));
    }
    List<String> figures = new ArrayList<>();
    try {
      for (Future<String> f : results) {
        figures.add(f.get());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw e;
    }
    ReliabilityScale.record("kill -9 cycles", String.join("; ", figures));
    assertEquals(SyncMode.values().length, figures.size());
  }

  private String chain(SyncMode mode, int cycles, long seed) throws Exception {
    Random rnd = new Random(seed);
    WorkloadChecker checker = new WorkloadChecker(dir.resolve(mode.name()), mode, seed);
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
        kill.cancel(false);
        assertEquals(KILLED, child.process.exitValue(), where + ": the child exited by itself");
      }
      checker.verify(where);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    return mode + ": " + cycles + " cycles (kill -9 each), " + checker.acknowledged + " operations acknowledged, "
        + checker.compactedSegments + " segments compacted by explicit compact(), at most " + checker.maxSegments
        + " segments, 0 lost, 0 wrong values, 0 failed opens, " + seconds + " s";
  }
}
