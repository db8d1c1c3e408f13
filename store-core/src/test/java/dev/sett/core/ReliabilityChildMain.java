package dev.sett.core;

import dev.sett.api.ConflictException;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The program the reliability suites run in a child JVM (see {@link ReliabilityChild}):
 * <ul>
 *   <li>{@code ops DIR SYNCMODE SEED FIRST MAX}: opens the store (printing {@code opened N} with its
 *       segment count, or {@code failed ...} and exit status 3), then runs {@link ReliabilityWorkload}
 *       operations FIRST, FIRST+1, ... printing {@code a I} after operation I returned; after MAX
 *       operations it closes the store and prints {@code done}.</li>
 *   <li>{@code bank DIR SEED ACCOUNTS TRANSFERS READERS}: see {@link BankInvariantTest}.</li>
 * </ul>
 */
public final class ReliabilityChildMain {
  private ReliabilityChildMain() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      say("error in " + t.getName() + ": " + e);
      e.printStackTrace();
      System.exit(4);
    });
    switch (args[0]) {
      case "ops":
        ops(dir, SyncMode.valueOf(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]));
        break;
      case "bank":
        bank(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
            Integer.parseInt(args[5]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  private static final PrintStream OUT = System.out;

  private static void say(String line) {
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }

  private static void ops(Path dir, SyncMode mode, long seed, long first, long max) {
    Store s;
    try {
      s = Sett.open(dir, ReliabilityWorkload.options(mode));
    } catch (StoreException e) {
      say("failed " + e);
      System.exit(3);
      return;
    }
    say("opened " + s.stats().segmentCount());
    for (long i = first; i < first + max; i++) {
      int compacted = ReliabilityWorkload.apply(s, seed, i);
      say(compacted > 0 ? "a " + i + " c " + compacted : "a " + i);
    }
    s.close();
    say("done");
  }

  // ---- bank ---------------------------------------------------------------------------------------

  static final long INITIAL_BALANCE = 1000;

  static StoreOptions bankOptions() {
    return StoreOptions.builder().segmentSize(256 << 10).syncMode(SyncMode.ALWAYS).autoCompaction(true).build();
  }

  static byte[] account(int i) {
    return String.format("acct-%05d", i).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] balance(long b) {
    return ByteBuffer.allocate(8).putLong(b).array();
  }

  /** Sum and count of the accounts in {@code snap}: {sum, count}. */
  static long[] total(Snapshot snap) {
    long sum = 0;
    long count = 0;
    try (Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        sum += c.value().getLong(0);
        count++;
      }
    }
    return new long[] {sum, count};
  }

  private static void bank(Path dir, long seed, int accounts, int transferThreads, int readerThreads)
      throws InterruptedException {
    long expectedTotal = accounts * INITIAL_BALANCE;
    Store s;
    try {
      s = Sett.open(dir, bankOptions());
    } catch (StoreException e) {
      say("failed " + e);
      System.exit(3);
      return;
    }
    if (s.stats().liveKeys() == 0) {
      WriteBatch init = new WriteBatch();
      for (int i = 0; i < accounts; i++) {
        init.put(account(i), balance(INITIAL_BALANCE));
      }
      s.write(init);
      say("initialized");
    } else {
      try (Snapshot snap = s.snapshot()) {
        long[] t = total(snap);
        if (t[0] != expectedTotal || t[1] != accounts) {
          say("violation at open: total " + t[0] + " over " + t[1] + " accounts");
        }
        say("total " + t[0] + " " + t[1]);
      }
    }
    AtomicLong transfers = new AtomicLong();
    AtomicLong gaveUp = new AtomicLong();
    AtomicLong checks = new AtomicLong();
    for (int t = 0; t < transferThreads; t++) {
      SplittableRandom r = new SplittableRandom(seed + t);
      Thread th = new Thread(() -> {
        for (;;) {
          int a = r.nextInt(accounts);
          int b = r.nextInt(accounts - 1);
          if (b >= a) {
            b++;
          }
          int wanted = 1 + r.nextInt(100);
          int from = a;
          int to = b;
          // No lock of the test's own: the transaction reads both balances and commits both new
          // ones only if neither changed meanwhile; update() runs it again if one did.
          try {
            s.update(txn -> {
              long fromBalance = txn.get(account(from)).getLong(0);
              long toBalance = txn.get(account(to)).getLong(0);
              long amount = Math.min(fromBalance, wanted);
              txn.put(account(from), balance(fromBalance - amount));
              txn.put(account(to), balance(toBalance + amount));
            });
            transfers.incrementAndGet();
          } catch (ConflictException e) {
            gaveUp.incrementAndGet(); // nothing was written; the total is unchanged
          }
        }
      }, "transfer-" + t);
      th.setDaemon(true);
      th.start();
    }
    for (int t = 0; t < readerThreads; t++) {
      Thread th = new Thread(() -> {
        for (;;) {
          try (Snapshot snap = s.snapshot()) {
            long[] tot = total(snap);
            if (tot[0] != expectedTotal || tot[1] != accounts) {
              say("violation at sequence " + snap.sequence() + ": total " + tot[0] + " over " + tot[1] + " accounts");
            }
          }
          checks.incrementAndGet();
        }
      }, "reader-" + t);
      th.setDaemon(true);
      th.start();
    }
    for (;;) {
      Thread.sleep(500);
      say("stats " + transfers.get() + " " + checks.get() + " " + gaveUp.get());
    }
  }
}
