package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.bench.PeerStates.LmdbState;
import dev.sett.bench.PeerStates.MvState;
import dev.sett.bench.PeerStates.RocksState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;

/**
 * Topic: random overwrites without sync, Sett against lmdbjava, RocksDB and H2 MVStore, on the
 * peer data set ({@value PeerData#RECORDS} records, 16-byte keys, 100-byte values: {@link PeerData}).
 *
 * <p>Each put overwrites a uniformly random existing key with a 100-byte value whose first eight
 * bytes hold a counter (so no two puts write the same bytes). Durability is matched across stores
 * as {@link Peers} explains: Sett {@link dev.sett.api.SyncMode#NONE}, lmdbjava {@code MDB_NOSYNC},
 * RocksDB WAL on without sync: each put is in the page cache when it returns. (MVStore's puts are
 * only in memory until its background auto-commit: weaker, and so flattering to it.)
 * <ul>
 *   <li>{@code settPut}: {@code Store.put}, one record per call.</li>
 *   <li>{@code lmdbPut}: one write transaction per put; {@code lmdbPutBatch}: {@value #LMDB_BATCH}
 *       puts per transaction (the score is per put), which is how lmdbjava is used for bulk
 *       writes.</li>
 *   <li>{@code rocksPut}: {@code RocksDB.put(WriteOptions, byte[], byte[])}. Its memtable flushes and
 *       compactions run on background threads that compete for this machine's second core: part
 *       of its cost, as in real use.</li>
 *   <li>{@code mvstorePut}: {@code MVMap.put} of fresh copies of key and value (MVStore keeps the
 *       arrays it is given, so a caller that reuses its buffers must copy them).</li>
 * </ul>
 * One writer thread; each store in its own forks with its own JVM flags. Stores grow during the
 * run (Sett and MVStore append; RocksDB's WAL and SSTs; lmdbjava's free pages), and every store is
 * deleted at the end of its trial.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar PeerWriteBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar 'PeerWriteBenchmark.(settPut|lmdbPutBatch|rocksPut)$' -f 1 -wi 3 -i 3   # quick look
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerWriteBenchmark {
  static final int LMDB_BATCH = 1000;

  /** The writer's random keys and its value, changed before every put. */
  @State(Scope.Thread)
  public static class Puts {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final SplittableRandom random = new SplittableRandom(0xBEEFL + THREADS.getAndIncrement());
    final byte[] key = new byte[BenchData.KEY_SIZE];
    final byte[] value = BenchData.peerValue(0, PeerData.VALUE_SIZE);
    private long counter;

    /** Points {@link #key} at a random key and gives {@link #value} a new first long. */
    void next() {
      BenchData.writeKey(random.nextInt(PeerData.RECORDS), key);
      long c = ++counter;
      for (int i = 0; i < Long.BYTES; i++) {
        value[i] = (byte) (c >>> (8 * i));
      }
    }
  }

  // ---- Sett ----------------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class SettState {
    Store store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      store = PeerData.loadSett();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      BenchData.closeAndDelete(store);
    }
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public void settPut(SettState s, Puts p) {
    p.next();
    s.store.put(p.key, p.value);
  }

  // ---- lmdbjava ------------------------------------------------------------------------------------

  /** Direct buffers for lmdbjava's key and value. */
  @State(Scope.Thread)
  public static class LmdbBuffers {
    final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(BenchData.KEY_SIZE));
    final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(PeerData.VALUE_SIZE));
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public void lmdbPut(LmdbState s, LmdbBuffers b, Puts p) {
    try (Txn<DirectBuffer> txn = s.lmdb.env.txnWrite()) {
      p.next();
      b.key.putBytes(0, p.key);
      b.value.putBytes(0, p.value);
      s.lmdb.db.put(txn, b.key, b.value);
      txn.commit();
    }
  }

  @Benchmark
  @OperationsPerInvocation(LMDB_BATCH)
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public void lmdbPutBatch(LmdbState s, LmdbBuffers b, Puts p) {
    try (Txn<DirectBuffer> txn = s.lmdb.env.txnWrite()) {
      for (int i = 0; i < LMDB_BATCH; i++) {
        p.next();
        b.key.putBytes(0, p.key);
        b.value.putBytes(0, p.value);
        s.lmdb.db.put(txn, b.key, b.value);
      }
      txn.commit();
    }
  }

  // ---- RocksDB -------------------------------------------------------------------------------------

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public void rocksPut(RocksState s, Puts p) throws RocksDBException {
    p.next();
    s.rocks.db.put(s.rocks.writeOptions, p.key, p.value);
  }

  // ---- H2 MVStore ----------------------------------------------------------------------------------

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH})
  public void mvstorePut(MvState s, Puts p) {
    p.next();
    s.mv.map.put(p.key.clone(), p.value.clone());
  }
}
