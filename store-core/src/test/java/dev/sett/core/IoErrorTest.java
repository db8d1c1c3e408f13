package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O errors, after SQLite's tests: a run of open, puts with syncs, rolls (with their background
 * preparation and hint writes), batches, deletes, compaction and close, in which the N-th file
 * operation fails, once or from then on, for every N the run makes. Each run must end in a
 * {@link StoreException} that carries the injected error (or succeed, when the failed operation was
 * one the engine can do without, such as a hint), close cleanly, and leave files that a healthy
 * open recovers with no acknowledged write lost and no value wrong.
 */
@Tag("reliability")
class IoErrorTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder()
      .segmentSize(64 << 10)
      .compactionTrigger(0.3, 96 << 10)
      .compactionInclude(0.3, 32 << 10)
      .build();

  @TempDir
  Path tmp;

  @Test
  void everyFailedFileOperationEndsInAStoreExceptionAndLosesNothingAcknowledged() throws Exception {
    int mixes = ReliabilityScale.pick(2, 100);
    long runs = 0;
    long failedRuns = 0;
    long succeeded = 0;
    List<String> problems = new ArrayList<>();
    for (int mix = 0; mix < mixes && problems.isEmpty(); mix++) {
      SyncMode mode = mix % 2 == 0 ? SyncMode.ALWAYS : SyncMode.NONE;
      Path dir = tmp.resolve("mix" + mix);
      MemoryStorage base = new MemoryStorage();
      base.createDirectories(dir);
      WriteHistory seed = new WriteHistory();
      try (Store s = SettStore.open(base, dir, OPTIONS.toBuilder().syncMode(mode).build())) {
        workload(s, mode, seed, new Random(mix), 60);
      }
      int calls = countCalls(base.copy(), dir, mode, mix);
      for (int n = 1; n <= calls + 3 && problems.isEmpty(); n++) {
        for (boolean forever : new boolean[] {false, true}) {
          runs++;
          MemoryStorage disk = base.copy();
          FailingStorage failing = new FailingStorage(disk, n, forever);
          WriteHistory history = copyOf(seed);
          String where = "mix " + mix + " (" + mode + "), failing operation " + n + (forever ? " and after" : " once");
          Throwable outcome = runWith(failing, dir, mode, history, mix);
          if (outcome == null) {
            succeeded++;
          } else if (!(outcome instanceof StoreException) || !hasInjectedCause(outcome)) {
            problems.add(where + " (" + failing.failed() + "): threw " + describe(outcome));
            continue;
          } else {
            failedRuns++;
          }
          try (Store s = SettStore.open(disk, dir, OPTIONS)) {
            for (String p : history.check(s, history.acknowledged(), history.started())) {
              problems.add(where + " (" + failing.failed() + "): " + p);
            }
          } catch (StoreException e) {
            problems.add(where + " (" + failing.failed() + "): the healthy reopen failed: " + describe(e));
          }
        }
      }
    }
    ReliabilityScale.record("I/O errors", runs + " runs (every N, once and for ever, " + mixes + " op mixes): "
        + failedRuns + " ended in a StoreException carrying the injected error, " + succeeded
        + " completed (the failed operation was optional), " + problems.size() + " problems");
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems.get(0));
    assertTrue(failedRuns > 0, "no run saw an injected error");
  }

  /** How many file operations a healthy run makes. */
  private int countCalls(MemoryStorage disk, Path dir, SyncMode mode, int mix) {
    FailingStorage counting = new FailingStorage(disk, 0, false);
    Throwable t = runWith(counting, dir, mode, new WriteHistory(), mix);
    if (t != null) {
      throw new AssertionError("the healthy run failed", t);
    }
    return counting.calls();
  }

  /** Opens, writes, compacts and closes; returns what was thrown, or null. */
  private static Throwable runWith(Storage storage, Path dir, SyncMode mode, WriteHistory history, int mix) {
    Store s = null;
    Throwable thrown = null;
    try {
      s = SettStore.open(storage, dir, OPTIONS.toBuilder().syncMode(mode).build());
      workload(s, mode, history, new Random(1000 + mix), 120);
      s.compact(true);
      workload(s, mode, history, new Random(2000 + mix), 20);
    } catch (Throwable t) {
      thrown = t;
    }
    if (s != null) {
      try {
        s.close();
      } catch (Throwable t) {
        if (thrown == null) {
          thrown = t;
        }
      }
    }
    return thrown;
  }

  private static void workload(Store s, SyncMode mode, WriteHistory history, Random random, int n) {
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      String k = "k" + random.nextInt(40);
      if (kind < 6) {
        byte[] v = WriteHistory.value(history.started(), k, 100 + random.nextInt(2500));
        WriteHistory.Write w = history.start(List.of(bytes(k)), List.of(v));
        s.put(w.keys().get(0), v);
        acknowledged(s, mode, history, w);
      } else if (kind < 7) {
        List<byte[]> none = new ArrayList<>();
        none.add(null);
        WriteHistory.Write w = history.start(List.of(bytes(k)), none);
        s.delete(w.keys().get(0));
        acknowledged(s, mode, history, w);
      } else {
        int index = history.started();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        WriteBatch b = new WriteBatch();
        // One batch in three is over Writer.STAGED_BATCH_BYTES (12 values of 2.8 to 3 KB), so that
        // its positional writes to the file fail in turn.
        boolean large = kind == 9;
        for (int j = 0; j < (large ? 12 : 3); j++) {
          String bk = "b" + index + "-" + j + "-" + random.nextInt(1 << 20);
          keys.add(bytes(bk));
          values.add(WriteHistory.value(index, bk, large ? 2800 + random.nextInt(200) : 50 + random.nextInt(900)));
          b.put(keys.get(j), values.get(j));
        }
        WriteHistory.Write w = history.start(keys, values);
        s.write(b);
        acknowledged(s, mode, history, w);
      }
    }
  }

  private static void acknowledged(Store s, SyncMode mode, WriteHistory history, WriteHistory.Write w) {
    if (mode == SyncMode.NONE) {
      if (w.index() % 5 != 4) {
        return;
      }
      s.sync();
    }
    history.acknowledgeThrough(w);
  }

  private static WriteHistory copyOf(WriteHistory seed) {
    return seed.copy();
  }

  private static boolean hasInjectedCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException && String.valueOf(c.getMessage()).contains("injected I/O error")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    String s = w.toString();
    return s.length() > 3000 ? s.substring(0, 3000) : s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
