package dev.sett.bench;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.bench.PeerStates.LmdbState;
import dev.sett.bench.PeerStates.MvState;
import dev.sett.bench.PeerStates.RocksState;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;

/**
 * Topic: random point reads of the same data set in the same harness, Sett against lmdbjava,
 * RocksDB and H2 MVStore ({@value PeerData#RECORDS} records, 16-byte keys, 100-byte values, page
 * cache resident: see {@link PeerData}; how each store is configured and why: {@link Peers}).
 *
 * <p>Every read draws a uniformly random key and consumes the value identically
 * ({@link BenchData#consume}: four longs and the last byte), so the stores differ only in how they
 * find and hand over the value:
 * <ul>
 *   <li>{@code settReadLong}: {@code Store.readLong} with a non-capturing callback (zero-copy, no
 *       allocation); {@code settSnapshotView}: a view from a snapshot taken at setup (zero-copy, one
 *       small object); {@code settCopyGet}: {@code Store.get}, a copy in a new array.</li>
 *   <li>{@code lmdbGet}: {@code Dbi.get} in a read transaction opened once per thread and reused
 *       (zero-copy {@code DirectBuffer} into the map); the key is copied into a direct buffer first,
 *       as the API needs.</li>
 *   <li>{@code rocksGet}: {@code RocksDB.get(byte[])}, a copy in a new array;
 *       {@code rocksGetDirect}: {@code get(ReadOptions, ByteBuffer, ByteBuffer)} into a reused direct
 *       buffer (one copy, no allocation).</li>
 *   <li>{@code mvstoreGet}: {@code MVMap.get}, which returns the array held in MVStore's page cache
 *       (no copy; the caller must not modify it).</li>
 * </ul>
 * Each store's benchmark runs in its own forks, with that store's JVM flags ({@code @Fork} on the
 * method), so only its own data set is loaded and no other store's threads run beside it. RocksDB's
 * background threads (flush, compaction) are idle here: the data was compacted at setup.
 *
 * <p><b>Threads.</b> One by default; the two-thread figures come from the same class run
 * with {@code -t 2} (each thread has its own keys, buffers and, for lmdbjava, read transaction).
 * The score is the average time per read per thread.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar PeerReadBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar PeerReadBenchmark -prof gc -t 2
 * java -jar store-bench/target/benchmarks.jar 'PeerReadBenchmark.(settReadLong|lmdbGet|rocksGet)$' -f 1 -wi 3 -i 3   # quick look
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerReadBenchmark {

  /** A thread's random keys (the same sequence for every store). */
  @State(Scope.Thread)
  public static class Keys {
    private static final AtomicInteger THREADS = new AtomicInteger();
    final PeerData.RandomKeys keys = new PeerData.RandomKeys(THREADS.getAndIncrement());
  }

  // ---- Sett ----------------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class SettState {
    Store store;
    Snapshot snapshot;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      store = PeerData.loadSett();
      snapshot = store.snapshot();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (snapshot != null) {
        snapshot.close();
      }
      BenchData.closeAndDelete(store);
    }
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settReadLong(SettState s, Keys k) {
    return s.store.readLong(k.keys.next(), BenchData::consume, -1);
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settSnapshotView(SettState s, Keys k) {
    return BenchData.consume(s.snapshot.get(k.keys.next()));
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settCopyGet(SettState s, Keys k) {
    return BenchData.consume(s.store.get(k.keys.next()));
  }

  // ---- lmdbjava ------------------------------------------------------------------------------------

  /**
   * A thread's read transaction (opened on that thread, reused for every read; {@link Peers.Lmdb}
   * closes it) and key buffer.
   */
  @State(Scope.Thread)
  public static class LmdbReader {
    Txn<DirectBuffer> txn;
    final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(BenchData.KEY_SIZE));

    @Setup(Level.Trial)
    public void setUp(LmdbState s) {
      txn = s.lmdb.readTxn();
    }
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long lmdbGet(LmdbState s, LmdbReader r, Keys k) {
    r.key.putBytes(0, k.keys.next());
    return BenchData.consume(s.lmdb.db.get(r.txn, r.key));
  }

  // ---- RocksDB -------------------------------------------------------------------------------------

  /** A thread's direct key and value buffers for the ByteBuffer get. */
  @State(Scope.Thread)
  public static class RocksBuffers {
    final ByteBuffer key = ByteBuffer.allocateDirect(BenchData.KEY_SIZE);
    final ByteBuffer value = ByteBuffer.allocateDirect(PeerData.VALUE_SIZE);
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long rocksGet(RocksState s, Keys k) throws RocksDBException {
    return BenchData.consume(s.rocks.db.get(k.keys.next()));
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long rocksGetDirect(RocksState s, RocksBuffers b, Keys k) throws RocksDBException {
    b.key.clear();
    b.key.put(k.keys.next()).flip();
    b.value.clear();
    int n = s.rocks.db.get(s.rocks.readOptions, b.key, b.value);
    if (n != PeerData.VALUE_SIZE) {
      throw new IllegalStateException("RocksDB returned " + n + " bytes, expected " + PeerData.VALUE_SIZE);
    }
    return BenchData.consume(b.value, n);
  }

  // ---- H2 MVStore ----------------------------------------------------------------------------------

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH})
  public long mvstoreGet(MvState s, Keys k) {
    return BenchData.consume(s.mv.map.get(k.keys.next()));
  }
}
