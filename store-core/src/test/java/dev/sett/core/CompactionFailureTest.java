package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compaction run that fails half-way (a file operation fails while it copies, rolls, forces or
 * deletes) must leave the index's accounting exactly right, so that a retry, later runs and a
 * reopen never drop a tombstone while an older value of its key survives: every deleted key stays
 * deleted.
 */
class CompactionFailureTest {
  /**
   * The store's path in the in-memory storage. Its lock file is real (locks are the operating
   * system's), so the path is a fresh temporary directory: a fixed one such as /store was shared
   * with every other test JVM on the machine.
   */
  @org.junit.jupiter.api.io.TempDir static Path DIR;
  // Only segments that are mostly dead are compacted, so the segments holding the old values of
  // deleted keys stay while their tombstones move: exactly where miscounted versions resurrect keys.
  private static final StoreOptions OPTIONS = StoreOptions.builder()
      .segmentSize(64 << 10)
      .autoCompaction(false)
      .syncMode(SyncMode.NONE)
      .compactionTrigger(0.6, 1L << 40)
      .compactionInclude(0.6, 0)
      .build();
  private static final int KEYS = 600;

  /** Makes the newest segments mostly dead by overwriting one key many times. */
  private static void churn(Store s, int times) {
    byte[] junk = new byte[400];
    for (int i = 0; i < times; i++) {
      s.put(b("hot"), junk);
    }
  }

  private static byte[] value(int key, int round) {
    // Values written in round 1 are large, so copying them forward rolls segments mid-run.
    byte[] v = new byte[round == 1 ? 1000 : 120];
    v[0] = (byte) key;
    v[1] = (byte) (key >> 8);
    v[2] = (byte) round;
    return v;
  }

  /** Puts every key, overwrites and deletes some across segments; returns which keys are deleted. */
  private static boolean[] populate(Store s) {
    boolean[] deleted = new boolean[KEYS];
    for (int i = 0; i < KEYS; i++) {
      s.put(b("key" + i), value(i, 0));
      // Never touched again: keeps these first segments mostly live, so they are not compacted.
      s.put(b("filler" + i + "a"), value(i, 9));
      s.put(b("filler" + i + "b"), value(i, 9));
    }
    for (int i = 0; i < KEYS; i += 3) {
      s.put(b("key" + i), value(i, 1));
      s.delete(b("key" + (i + 1)));
      deleted[i + 1] = true;
      churn(s, 6);
    }
    return deleted;
  }

  private static List<String> check(Store s, boolean[] deleted, String when) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      byte[] got = s.get(b("key" + i));
      if (deleted[i]) {
        if (got != null) {
          wrong.add(when + ": deleted key" + i + " came back");
        }
      } else if (got == null || got[2] != (i % 3 == 0 ? 1 : 0)) {
        wrong.add(when + ": key" + i + " is " + (got == null ? "missing" : "at round " + got[2]));
      }
    }
    return wrong;
  }

  @Test
  void aFailedCompactionRunNeverBringsBackADeletedKey() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    boolean[] deleted;
    try (Store s = SettStore.open(base, DIR, OPTIONS)) {
      deleted = populate(s);
    }
    List<String> problems = new ArrayList<>();
    int failedRuns = 0;
    for (int n = 1; n <= 60 && problems.isEmpty(); n++) {
      MemoryStorage disk = base.copy();
      FailingStorage failing = new FailingStorage(disk, 0, false);
      try (Store s = SettStore.open(failing, DIR, OPTIONS)) {
        failing.failFromNow(n, false);
        try {
          s.compact(false);
        } catch (StoreException e) {
          failedRuns++;
        }
        problems.addAll(check(s, deleted, "n=" + n + " after the failed run"));
        // Retry until nothing is left to do, as the background compactor would.
        // Then the tombstones' new segments die too and are compacted in turn.
        try {
          for (int retry = 0; retry < 6; retry++) {
            s.compact(false);
            churn(s, 300);
          }
        } catch (StoreException e) {
          // a failed force: the handle refuses writes until reopened, as documented
        }
        problems.addAll(check(s, deleted, "n=" + n + " after retries"));
      } catch (StoreException e) {
        // close may report the failure again; the reopen below is what counts
      }
      try (Store s = SettStore.open(disk, DIR, OPTIONS)) {
        problems.addAll(check(s, deleted, "n=" + n + " after reopening"));
        for (int round = 0; round < 4; round++) {
          churn(s, 300);
          s.compact(false);
        }
        problems.addAll(check(s, deleted, "n=" + n + " after compacting again"));
      }
      try (Store s = SettStore.open(disk, DIR, OPTIONS)) {
        problems.addAll(check(s, deleted, "n=" + n + " after the second reopen"));
      }
    }
    assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(10, problems.size())));
    assertTrue(failedRuns > 5, "only " + failedRuns + " runs failed: the injection missed compaction");
  }
}
