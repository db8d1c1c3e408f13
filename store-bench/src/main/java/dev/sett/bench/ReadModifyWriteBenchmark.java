package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.OptimisticTransactionDB;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.Transaction;
import org.rocksdb.WriteOptions;

/**
 * Topic: read-modify-write. Each operation increments an 8-byte counter at a uniformly random key of
 * {@code keys} counters (16: heavy contention; 100,000: almost none), so that no increment may be
 * lost whatever the threads do. Run with {@code -t 1}, {@code -t 2} and {@code -t 8}.
 * <ul>
 *   <li>{@code settTransaction}: {@code Store.update(txn -> get, put)}; conflicts are retried inside
 *       {@code update}, each retry counted in {@code aborts}.</li>
 *   <li>{@code settSynchronized}: {@code get} and {@code put} inside one {@code synchronized} block
 *       shared by all threads: what an application does without transactions.</li>
 *   <li>{@code rocksOptimistic}: RocksDB's {@code OptimisticTransactionDB}: {@code getForUpdate},
 *       {@code put}, {@code commit}, begun again on {@code Status.Code.Busy} (a conflict), each retry
 *       counted in {@code aborts}.</li>
 * </ul>
 * Durability is matched as in {@link Peers}: Sett {@link SyncMode#NONE}, RocksDB WAL on without
 * sync. The score is committed increments per millisecond, all threads together; {@code aborts}
 * (JMH's secondary result) is retries per millisecond, so {@code aborts / score} is the abort rate. After each trial the counters
 * are summed and checked against the number of increments made: a lost update fails the run.
 *
 * <p><b>How to run</b> (after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar ReadModifyWriteBenchmark -t 8 -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
    BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
    BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS, BenchJvm.NO_PERF_INFO})
public class ReadModifyWriteBenchmark {

  /** Each thread's random key choice and its count of increments, for the check at the end. */
  @State(Scope.Thread)
  public static class Picks {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final SplittableRandom random = new SplittableRandom(0x5EEDL + THREADS.getAndIncrement());
    final byte[] key = new byte[BenchData.KEY_SIZE];

    void next(int keys) {
      BenchData.writeKey(random.nextInt(keys), key);
    }
  }

  /** Retries caused by conflicts, reported by JMH beside the score. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Aborts {
    public long aborts;

    @Setup(Level.Iteration)
    public void reset() {
      aborts = 0;
    }
  }

  static byte[] plusOne(byte[] counter) {
    long n = counter == null ? 0 : BenchData.longBE(counter, 0);
    byte[] out = new byte[8];
    BenchData.putLongBE(out, 0, n + 1);
    return out;
  }

  // ---- Sett ---------------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class SettState {
    @Param({"16", "100000"})
    int keys;
    Store store;
    final java.util.concurrent.atomic.AtomicLong increments = new java.util.concurrent.atomic.AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      store = BenchData.openSett(StoreOptions.builder().syncMode(SyncMode.NONE).transactionAttempts(10_000).build());
      dev.sett.api.WriteBatch b = new dev.sett.api.WriteBatch();
      for (int i = 0; i < keys; i++) {
        b.put(BenchData.key(i), new byte[8]);
      }
      store.write(b);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try {
        long sum = 0;
        for (int i = 0; i < keys; i++) {
          sum += BenchData.longBE(store.get(BenchData.key(i)), 0);
        }
        if (sum != increments.get()) {
          throw new IllegalStateException("lost updates: " + increments.get() + " increments, counters sum to " + sum);
        }
      } finally {
        BenchData.closeAndDelete(store);
      }
    }
  }

  @Benchmark
  public void settTransaction(SettState s, Picks p, Aborts a) {
    p.next(s.keys);
    byte[] key = p.key;
    int[] attempts = {0};
    s.store.update(txn -> {
      attempts[0]++;
      dev.sett.api.ByteView v = txn.get(key);
      byte[] next = new byte[8];
      BenchData.putLongBE(next, 0, v.getLong(0) + 1);
      txn.put(key, next);
    });
    a.aborts += attempts[0] - 1;
    s.increments.incrementAndGet();
  }

  @Benchmark
  public void settSynchronized(SettState s, Picks p) {
    p.next(s.keys);
    synchronized (s) {
      s.store.put(p.key, plusOne(s.store.get(p.key)));
    }
    s.increments.incrementAndGet();
  }

  // ---- RocksDB ------------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class RocksState {
    static {
      RocksDB.loadLibrary();
    }

    @Param({"16", "100000"})
    int keys;
    Path dir;
    Options options;
    OptimisticTransactionDB db;
    WriteOptions writeOptions;
    ReadOptions readOptions;
    final java.util.concurrent.atomic.AtomicLong increments = new java.util.concurrent.atomic.AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException, RocksDBException {
      dir = Files.createTempDirectory("rocksdb-rmw-");
      options = new Options().setCreateIfMissing(true);
      db = OptimisticTransactionDB.open(options, dir.toString());
      writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
      readOptions = new ReadOptions();
      try (org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
        for (int i = 0; i < keys; i++) {
          b.put(BenchData.key(i), new byte[8]);
        }
        db.write(writeOptions, b);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, RocksDBException {
      try {
        long sum = 0;
        for (int i = 0; i < keys; i++) {
          sum += BenchData.longBE(db.get(readOptions, BenchData.key(i)), 0);
        }
        if (sum != increments.get()) {
          throw new IllegalStateException("lost updates: " + increments.get() + " increments, counters sum to " + sum);
        }
      } finally {
        db.close();
        readOptions.close();
        writeOptions.close();
        options.close();
        BenchData.deleteRecursively(dir);
      }
    }
  }

  @Benchmark
  public void rocksOptimistic(RocksState s, Picks p, Aborts a) throws RocksDBException {
    p.next(s.keys);
    for (;;) {
      try (Transaction txn = s.db.beginTransaction(s.writeOptions)) {
        byte[] v = txn.getForUpdate(s.readOptions, p.key, true);
        txn.put(p.key, plusOne(v));
        try {
          txn.commit();
          break;
        } catch (RocksDBException e) {
          Status st = e.getStatus();
          if (st == null || (st.getCode() != Status.Code.Busy && st.getCode() != Status.Code.TryAgain)) {
            throw e;
          }
          a.aborts++;
        }
      }
    }
    s.increments.incrementAndGet();
  }
}
