package dev.sett.bench;

import dev.sett.api.Store;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.rocksdb.RocksDBException;

/**
 * Topic: puts of new keys without sync, one at a time, Sett against RocksDB (issue 11's "append"):
 * every put adds a key the store did not hold, so the ordered index grows with each one (unlike
 * {@link PeerWriteBenchmark}'s overwrites).
 *
 * <p>Each store starts with {@code records} records of the peer data set's shape (16-byte keys,
 * 100-byte values, loaded in random order: {@link ShuffledData}), so the index is already of a
 * realistic size. New keys have numbers from {@code records} up: {@code ascending} takes them in
 * order (an append-only log, a time series), {@code random} scrambles the counter with a bijection
 * of {@code [0, 2^39)}, so each new key lands at a random place among the others. Values are
 * 100 bytes whose first long is the counter. Durability is matched as {@link Peers} explains: Sett
 * {@link dev.sett.api.SyncMode#NONE}, RocksDB WAL on without sync. RocksDB's memtable flushes and
 * compactions run on background threads that compete for the second core: part of its cost.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar PeerAppendBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar PeerAppendBenchmark -p records=20000 -f 1 -wi 0 -i 1 -r 200ms   # smoke
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerAppendBenchmark {
  /** Keys in each store before the first measured put. */
  @Param({"1000000"})
  public int records;

  /** The order of the new keys: {@code ascending} or {@code random}. */
  @Param({"random", "ascending"})
  public String order;

  private static final long SPACE_MASK = (1L << 39) - 1;

  /** The writer's stream of new keys and its value. */
  @State(Scope.Thread)
  public static class NewKeys {
    final byte[] key = new byte[BenchData.KEY_SIZE];
    final byte[] value = BenchData.peerValue(0, PeerData.VALUE_SIZE);
    private long first;
    private boolean random;
    private long counter;

    @Setup(Level.Trial)
    public void setUp(PeerAppendBenchmark b) {
      first = b.records;
      if (!b.order.equals("random") && !b.order.equals("ascending")) {
        throw new IllegalArgumentException("order must be random or ascending, not " + b.order);
      }
      random = b.order.equals("random");
    }

    /** Points {@link #key} at the next new key and puts the counter into the value. */
    void next() {
      long c = counter++;
      BenchData.writeKey(first + (random ? scramble(c) : c), key);
      for (int i = 0; i < Long.BYTES; i++) {
        value[i] = (byte) (c >>> (8 * i));
      }
    }
  }

  /** A bijection of {@code [0, 2^39)}: multiplication by an odd constant modulo 2^39. */
  static long scramble(long c) {
    return (c * 0x9E3779B97F4A7C15L) & SPACE_MASK;
  }

  // ---- Sett ----------------------------------------------------------------------------------------

  /** Sett with the starting records. */
  @State(Scope.Benchmark)
  public static class SettState {
    Store store;

    @Setup(Level.Trial)
    public void setUp(PeerAppendBenchmark b) throws IOException {
      store = ShuffledData.loadSett(b.records);
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
  public void settPut(SettState s, NewKeys k) {
    k.next();
    s.store.put(k.key, k.value);
  }

  // ---- RocksDB -------------------------------------------------------------------------------------

  /** RocksDB with the starting records, flushed and compacted. */
  @State(Scope.Benchmark)
  public static class RocksState {
    Peers.Rocks rocks;

    @Setup(Level.Trial)
    public void setUp(PeerAppendBenchmark b) throws IOException {
      rocks = ShuffledData.loadRocks(b.records);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (rocks != null) {
        rocks.close();
      }
    }
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public void rocksPut(RocksState s, NewKeys k) throws RocksDBException {
    k.next();
    s.rocks.db.put(s.rocks.writeOptions, k.key, k.value);
  }
}
