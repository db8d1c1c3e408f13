package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Simulated power loss: a workload runs on a {@link MemoryStorage}, which remembers what was forced;
 * at random moments a crash is captured (while the writer, the sealer and compaction run), and for
 * each capture many states a power cut could leave on disk are opened and checked against the
 * {@link WriteHistory}: every open succeeds, no acknowledged write is lost, no value is wrong, no
 * batch is torn. Some recovered stores are written to and crashed again, so that what recovery
 * repaired is itself checked.
 */
@Tag("reliability")
class PowerLossTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder()
      .segmentSize(64 << 10)
      .compactionTrigger(0.3, 128 << 10)
      .compactionInclude(0.3, 32 << 10)
      .build();
  private static final StoreOptions CHECK = OPTIONS.toBuilder().autoCompaction(false).build();
  private static final int KEYS = 150;
  private static final int VARIANTS_PER_CAPTURE = 50;
  /** Captures on one store before the next starts afresh (the CI size fits in one). */
  private static final int CAPTURES_PER_STORE = 500;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(value = SyncMode.class, names = {"ALWAYS", "NONE"})
  void acknowledgedWritesSurviveEveryPowerLoss(SyncMode mode) throws Exception {
    int captures = ReliabilityScale.pick(100, 10_000);
    List<String> problems = run(mode, captures, true);
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems.get(0));
  }

  /** The check can fail: on a disk that ignores flushes, acknowledged writes are lost. */
  @ParameterizedTest
  @EnumSource(value = SyncMode.class, names = {"ALWAYS", "NONE"})
  void aDiskThatIgnoresFlushesLosesAcknowledgedWrites(SyncMode mode) throws Exception {
    List<String> problems = run(mode, 20, false);
    assertTrue(problems.stream().anyMatch(p -> p.contains("last acknowledged write") || p.contains("open failed")),
        () -> "expected lost writes, found " + problems);
  }

  private List<String> run(SyncMode mode, int captures, boolean honourForces) throws Exception {
    Random random = new Random(mode.ordinal() * 7919L + 17);
    Tally tally = new Tally();
    List<String> problems = new ArrayList<>();
    // A fresh store every few hundred captures: each capture copies the whole in-memory store,
    // which grows with every capture, so one store for a long run would make it quadratic.
    for (int first = 0; first < captures && problems.isEmpty(); first += CAPTURES_PER_STORE) {
      runOneStore(mode, first, Math.min(captures, first + CAPTURES_PER_STORE), honourForces, random, tally, problems);
    }
    if (!honourForces) {
      return problems;
    }
    ReliabilityScale.record("power loss (" + mode + ")", tally.scenarios + " power-loss states opened and checked ("
        + captures + " captures x " + VARIANTS_PER_CAPTURE + ", a fresh store every " + CAPTURES_PER_STORE + "), "
        + tally.reopened + " written to and crashed again, " + tally.writes + " writes (" + tally.batches
        + " batches), " + problems.size() + " problems");
    if (problems.isEmpty()) {
      assertEquals(captures * VARIANTS_PER_CAPTURE, tally.scenarios);
    }
    return problems;
  }

  /** What the rounds of one run did, for the figures. */
  private static final class Tally {
    int scenarios;
    int reopened;
    int batches;
    int writes;
  }

  /** Captures {@code first} to {@code last} (exclusive), on a store of their own. */
  private void runOneStore(SyncMode mode, int first, int last, boolean honourForces, Random random, Tally tally,
      List<String> problems) throws Exception {
    Path dir = tmp.resolve("store-" + mode + "-" + honourForces + "-" + first);
    Path recovered = tmp.resolve("recovered-" + mode + "-" + honourForces);
    MemoryStorage storage = new MemoryStorage();
    storage.honourForces(honourForces);
    storage.createDirectories(recovered);
    WriteHistory history = new WriteHistory();
    try (Store store = SettStore.open(storage, dir, OPTIONS.toBuilder().syncMode(mode).build())) {
      for (int c = first; c < last && problems.isEmpty(); c++) {
        int ops = 1 + random.nextInt(40);
        tally.batches += runOps(store, mode, history, random, ops);
        // Capture while the writer is busy too, not only between its calls.
        MemoryStorage.Crash[] crash = new MemoryStorage.Crash[1];
        int[] ack = new int[1];
        int[] started = new int[1];
        Thread capturer = new Thread(() -> {
          ack[0] = history.acknowledged();
          crash[0] = storage.capture();
          started[0] = history.started();
        });
        capturer.start();
        tally.batches += runOps(store, mode, history, random, 1 + random.nextInt(3));
        capturer.join();
        for (int v = 0; v < VARIANTS_PER_CAPTURE && problems.isEmpty(); v++) {
          long seed = random.nextLong();
          MemoryStorage state = crash[0].variant(new Random(seed), dir, recovered);
          tally.scenarios++;
          String where = "capture " + c + ", variant seed " + seed + " (" + mode + ")";
          try (Store s = SettStore.open(state, recovered, CHECK)) {
            for (String p : history.check(s, ack[0], started[0])) {
              problems.add(where + ": " + p);
            }
            if (problems.isEmpty() && v % 10 == 0) {
              tally.reopened++;
              problems.addAll(writeAndCrashAgain(s, state, recovered, history, ack[0], started[0], where, random));
            }
          } catch (StoreException e) {
            problems.add(where + ": open failed: " + e);
          }
          if (!problems.isEmpty()) {
            problems.set(0, problems.get(0) + "\nacknowledged " + ack[0] + " of " + started[0] + " writes; at the"
                + " crash:\n" + crash[0].describe());
          }
        }
      }
    }
    tally.writes += history.started();
  }

  /** Writes to a recovered store, syncs, cuts the power again, and checks old and new writes. */
  private static List<String> writeAndCrashAgain(Store s, MemoryStorage state, Path dir, WriteHistory history,
      int ack, int started, String where, Random random) {
    byte[] key = ("again-" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
    byte[] value = WriteHistory.value(-1, "again", 200);
    s.put(key, value);
    s.sync();
    MemoryStorage.Crash crash = state.capture();
    MemoryStorage second = crash.variant(random, dir, dir.resolveSibling("recovered-again"));
    List<String> problems = new ArrayList<>();
    try {
      second.createDirectories(dir.resolveSibling("recovered-again"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (Store again = SettStore.open(second, dir.resolveSibling("recovered-again"), CHECK)) {
      if (!java.util.Arrays.equals(value, again.get(key))) {
        problems.add(where + ", second power loss: a write synced after recovery is lost");
      }
      again.delete(key);
      for (String p : history.check(again, ack, started)) {
        problems.add(where + ", second power loss: " + p);
      }
    } catch (StoreException e) {
      problems.add(where + ", second power loss: open failed: " + e);
    }
    return problems;
  }

  /** Runs {@code n} random writes; returns how many were batches. */
  private static int runOps(Store store, SyncMode mode, WriteHistory history, Random random, int n) {
    int batches = 0;
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(20);
      if (kind < 12) {
        String k = "k" + random.nextInt(KEYS);
        WriteHistory.Write w = history.start(List.of(bytes(k)),
            List.of(WriteHistory.value(history.started(), k, 20 + random.nextInt(random.nextInt(8) == 0 ? 6000 : 400))));
        store.put(w.keys().get(0), w.values().get(0));
        acknowledged(mode, history, w);
      } else if (kind < 14) {
        String k = "k" + random.nextInt(KEYS);
        List<byte[]> values = new ArrayList<>();
        values.add(null);
        WriteHistory.Write w = history.start(List.of(bytes(k)), values);
        store.delete(w.keys().get(0));
        acknowledged(mode, history, w);
      } else if (kind < 17) {
        // One batch in eight is over Writer.STAGED_BATCH_BYTES (12 to 14 values of 2.8 to 3 KB):
        // written to the file with positional writes, not through the mapping.
        boolean large = random.nextInt(8) == 0;
        int size = large ? 12 + random.nextInt(3) : 2 + random.nextInt(6);
        int index = history.started();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        WriteBatch b = new WriteBatch();
        for (int j = 0; j < size; j++) {
          String k = "b" + index + "-" + j;
          keys.add(bytes(k));
          values.add(WriteHistory.value(index, k, large ? 2800 + random.nextInt(200) : 10 + random.nextInt(700)));
          b.put(keys.get(j), values.get(j));
        }
        WriteHistory.Write w = history.start(keys, values);
        store.write(b);
        acknowledged(mode, history, w);
        batches++;
      } else if (kind < 19) {
        if (mode == SyncMode.NONE) {
          int before = history.started();
          store.sync();
          history.acknowledgeFirst(before);
        }
      } else if (random.nextInt(4) == 0) {
        store.compact(true);
      }
    }
    return batches;
  }

  private static void acknowledged(SyncMode mode, WriteHistory history, WriteHistory.Write w) {
    if (mode == SyncMode.ALWAYS) {
      history.acknowledgeThrough(w);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
