package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Badger's bank test: {@value #ACCOUNTS} accounts holding a fixed total, concurrent transfers, and
 * readers checking the total on snapshots, with the child JVM killed (-9) every 30 s and the total
 * checked again after each reopen.
 *
 * <p><b>Design.</b> Each transfer is a Sett transaction run by {@code Store.update}: it reads both
 * balances, writes both new ones, and commits only if neither changed since its snapshot, retried on
 * conflict; the test holds no lock of its own. Commits are durable under {@code SyncMode.ALWAYS}
 * (concurrent transfers share fsyncs through group commit). A lost update (two transfers from the
 * same balance both committing) would change the total, so what is under test is the commit-time
 * conflict check, commit atomicity, snapshot isolation (a snapshot shows whole commits, from a prefix
 * of the commit order), durability across kill -9 and recovery of commits torn by the kill.
 * Readers take snapshots continuously, sum every account and report any total or account count
 * that differs; after each kill this JVM opens the store read-only and checks the same, and the next
 * child checks it again on its read-write open.
 *
 * <p>CI: 5 minutes (10 kills); {@code -Dsett.reliability=long}: 2 hours (240 kills).
 */
@Tag("reliability")
@Tag("slow")
class BankInvariantTest {
  static final int ACCOUNTS = 1000;
  static final int TRANSFER_THREADS = 8;
  static final int READER_THREADS = 2;
  static final long KILL_EVERY_MILLIS = 30_000;

  @TempDir Path dir;
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "killer");
    t.setDaemon(true);
    return t;
  });

  @AfterEach
  void stopKiller() {
    killer.shutdownNow();
  }

  @Test
  void theTotalNeverChangesAcrossConcurrentTransfersSnapshotsAndKills() throws Exception {
    long runMillis = ReliabilityScale.pick(5 * 60_000L, 2 * 3600_000L);
    long expectedTotal = ACCOUNTS * ReliabilityChildMain.INITIAL_BALANCE;
    Path store = dir.resolve("bank");
    long seed = System.nanoTime();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(runMillis);
    List<String> violations = new ArrayList<>();
    long transfers = 0;
    long gaveUp = 0;
    long snapshotChecks = 0;
    int kills = 0;
    int reopenChecks = 0;
    for (int round = 0; System.nanoTime() < deadline; round++) {
      String where = "round " + round + " (seed " + seed + ")";
      long roundMillis = Math.max(1000, Math.min(KILL_EVERY_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      long lastTransfers = 0;
      long lastChecks = 0;
      long lastGaveUp = 0;
      try (ReliabilityChild child = ReliabilityChild.start(List.of(), "bank", store.toString(),
          Long.toString(seed + round * 1000L), Integer.toString(ACCOUNTS), Integer.toString(TRANSFER_THREADS),
          Integer.toString(READER_THREADS))) {
        String line = child.line();
        assertNotNull(line, where + ": the child printed nothing");
        if (line.startsWith("failed")) {
          fail(where + ": failed open: " + line);
        }
        ScheduledFuture<?> kill = killer.schedule(child::kill, roundMillis,
            TimeUnit.MILLISECONDS);
        do {
          if (line.startsWith("violation")) {
            violations.add(where + ": " + line);
          } else if (line.startsWith("stats ")) {
            String[] parts = line.split(" ");
            lastTransfers = Long.parseLong(parts[1]);
            lastChecks = Long.parseLong(parts[2]);
            lastGaveUp = Long.parseLong(parts[3]);
          } else if (line.startsWith("total ")) {
            reopenChecks++;
          } else if (!line.equals("initialized")) {
            fail(where + ": unexpected output " + line);
          }
        } while ((line = child.line()) != null);
        assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), where + ": the child did not die");
        kill.cancel(false);
        assertEquals(KillNineCyclesTest.KILLED, child.process.exitValue(), where + ": the child exited by itself");
      }
      kills++;
      transfers += lastTransfers;
      snapshotChecks += lastChecks;
      gaveUp += lastGaveUp;
      try (Store s = Sett.open(store, ReliabilityChildMain.bankOptions().toBuilder().readOnly(true).build());
          Snapshot snap = s.snapshot()) {
        long[] t = ReliabilityChildMain.total(snap);
        reopenChecks++;
        if (t[0] != expectedTotal || t[1] != ACCOUNTS) {
          violations.add(where + ": after the kill the store holds " + t[0] + " over " + t[1] + " accounts");
        }
      } catch (StoreException e) {
        throw new AssertionError(where + ": failed open after the kill", e);
      }
      assertTrue(violations.isEmpty(), () -> violations.size() + " violations, first: " + violations.get(0));
    }
    assertTrue(transfers > 0, "no transfer happened");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    ReliabilityScale.record("bank invariant", ACCOUNTS + " accounts, " + TRANSFER_THREADS + " transfer and "
        + READER_THREADS + " snapshot reader threads, " + kills + " kills (every " + KILL_EVERY_MILLIS / 1000
        + " s), at least " + transfers + " transfers (" + gaveUp + " given up after repeated conflicts), " + snapshotChecks + " snapshot totals, " + reopenChecks
        + " totals after reopen, " + violations.size() + " violations, " + seconds + " s");
    assertEquals(0, violations.size());
  }
}
