package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreLockedException;
import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Behaviour that involves other JVMs: missing flags, a lock held by another process, kill -9. */
class ProcessTest {
  @TempDir Path dir;

  @Test
  void openWithoutJvmFlagsNamesTheFlagsToAdd() throws Exception {
    try (ChildProcess child = ChildProcess.start(false, "open", dir.resolve("s").toString())) {
      String line = child.awaitLine("failed");
      assertNotNull(line, "the child reported no failure");
      assertTrue(line.startsWith("failed EnvironmentException"), line);
      assertTrue(line.contains("--add-opens java.base/java.lang.reflect=ALL-UNNAMED"), line);
      assertTrue(line.contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"), line);
      assertTrue(line.contains("--add-exports java.base/jdk.internal.ref=ALL-UNNAMED"), line);
      assertEquals(0, child.process.waitFor());
    }
  }

  @Test
  void openUnderDeniedUnsafeMemoryAccessNamesTheFlagToAllowIt() throws Exception {
    assumeTrue(Runtime.version().feature() >= 23, "--sun-misc-unsafe-memory-access exists from JDK 23");
    // After Sett's own flags (which allow it on 24+), so that this one wins.
    try (ChildProcess child = ChildProcess.start(true, List.of("--sun-misc-unsafe-memory-access=deny"),
        "open", dir.resolve("s").toString())) {
      String line = child.awaitLine("failed");
      assertNotNull(line, "the child reported no failure");
      assertTrue(line.startsWith("failed EnvironmentException"), line);
      assertTrue(line.contains("run it with --sun-misc-unsafe-memory-access=allow"), line);
      assertEquals(0, child.process.waitFor());
    }
  }

  @Test
  void aStoreOpenInAnotherProcessIsLocked() throws Exception {
    try (ChildProcess child = ChildProcess.start(true, "hold", dir.toString())) {
      assertNotNull(child.awaitLine("open"));
      StoreLockedException e = assertThrows(StoreLockedException.class,
          () -> Sett.open(dir, ChildProcessMain.OPTIONS));
      assertTrue(e.getMessage().contains("pid " + child.process.pid()), e.getMessage());
      child.kill();
    }
    try (Store s = Sett.open(dir, ChildProcessMain.OPTIONS)) {
      assertEquals(0, s.stats().liveKeys(), "the lock died with its process");
    }
  }

  /**
   * Kills a writing child at random moments; every write it acknowledged must be there after
   * reopening, with its value, and each batch whole. A kill keeps the page cache, so this holds for
   * {@code NONE} too; power loss is another suite's job.
   */
  @ParameterizedTest
  @EnumSource(SyncMode.class)
  void acknowledgedWritesSurviveKillNine(SyncMode mode) throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    long acked = -1;
    byte[] pad = new byte[200];
    for (int cycle = 0; cycle < 4; cycle++) {
      int target = 50 + rnd.nextInt(mode == SyncMode.ALWAYS ? 150 : 3000);
      try (ChildProcess child = ChildProcess.start(true, "write", dir.toString(), mode.name())) {
        String line;
        int seen = 0;
        while (seen < target && (line = child.awaitLine("ack ")) != null) {
          acked = Math.max(acked, Long.parseLong(line.substring(4)));
          seen++;
        }
        assertEquals(target, seen, "child stopped early (seed " + seed + ")");
        child.kill();
      }
      try (Store s = Sett.open(dir, ChildProcessMain.OPTIONS)) {
        for (long i = 0; i <= acked; i++) {
          String where = "seed " + seed + " cycle " + cycle + " key " + i + " of " + acked;
          assertArrayEquals(ChildProcessMain.value(i, pad), s.get(ChildProcessMain.key(i)), where);
          if (i % 5 == 4) {
            assertArrayEquals(ChildProcessMain.value(-i, pad), s.get(ChildProcessMain.key(-i)), where);
          }
        }
      }
    }
  }
}
