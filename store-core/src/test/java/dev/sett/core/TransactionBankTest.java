package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.Transaction;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank test in one process, short enough for every build: few accounts (so transfers collide
 * and commits conflict), transfers as {@code Store.update} transactions with no lock of the test's
 * own, background compaction over small segments, and readers summing the accounts on snapshots and
 * in read-only transactions. Any lost update changes the total. The kill -9 version is
 * {@link BankInvariantTest} (reliability suite).
 */
class TransactionBankTest {
  private static final int ACCOUNTS = 20;
  private static final long INITIAL = 1000;

  @TempDir Path dir;

  private static byte[] account(int i) {
    return ("acct-" + i).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] amount(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static long[] total(Cursor c) {
    try (c) {
      long sum = 0;
      long n = 0;
      while (c.next()) {
        sum += c.value().getLong(0);
        n++;
      }
      return new long[] {sum, n};
    }
  }

  @Test
  void concurrentTransfersNeverChangeTheTotal() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).transactionAttempts(10_000)
        .compactionTrigger(0.3, 1 << 20).build();
    AtomicLong transfers = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    AtomicLong checks = new AtomicLong();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    try (Store s = Sett.open(dir, options)) {
      WriteBatch init = new WriteBatch();
      for (int i = 0; i < ACCOUNTS; i++) {
        init.put(account(i), amount(INITIAL));
      }
      s.write(init);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        SplittableRandom r = new SplittableRandom(t);
        threads.add(new Thread(() -> {
          try {
            while (!stop.get()) {
              int a = r.nextInt(ACCOUNTS);
              int b = (a + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
              long want = 1 + r.nextInt(100);
              s.update(txn -> {
                attempts.incrementAndGet();
                long from = txn.get(account(a)).getLong(0);
                long to = txn.get(account(b)).getLong(0);
                long moved = Math.min(from, want);
                txn.put(account(a), amount(from - moved));
                txn.put(account(b), amount(to + moved));
              });
              transfers.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "transfer-" + t));
      }
      for (int t = 0; t < 2; t++) {
        boolean viaTransaction = t == 1;
        threads.add(new Thread(() -> {
          try {
            while (!stop.get()) {
              long[] tot;
              if (viaTransaction) {
                try (Transaction txn = s.beginReadOnlyTransaction()) {
                  tot = total(txn.scan(KeyRange.all()));
                }
              } else {
                try (Snapshot snap = s.snapshot()) {
                  tot = total(snap.scan(KeyRange.all()));
                }
              }
              if (tot[0] != ACCOUNTS * INITIAL || tot[1] != ACCOUNTS) {
                violations.add("total " + tot[0] + " over " + tot[1] + " accounts");
              }
              checks.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "reader-" + t));
      }
      threads.forEach(Thread::start);
      Thread.sleep(3000);
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(failures.isEmpty(), () -> failures.get(0).toString());
      assertEquals(List.of(), violations.subList(0, Math.min(5, violations.size())));
      assertTrue(transfers.get() > 1000, "transfers: " + transfers.get());
      assertTrue(attempts.get() > transfers.get(), "some commits conflicted and were retried: " + attempts.get()
          + " attempts for " + transfers.get() + " transfers");
      assertTrue(checks.get() > 10, "checks: " + checks.get());
      assertTrue(s.stats().compactionsRun() > 0, "compaction ran beside the transactions");
    }
    try (Store s = Sett.open(dir, options); Snapshot snap = s.snapshot()) {
      long[] tot = total(snap.scan(KeyRange.all()));
      assertEquals(ACCOUNTS * INITIAL, tot[0], "after reopen");
      for (int i = 0; i < ACCOUNTS; i++) {
        ByteView v = snap.get(account(i));
        assertTrue(v.getLong(0) >= 0, "account " + i + " went negative");
      }
    }
  }
}
