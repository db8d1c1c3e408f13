package dev.sett.bench;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic: ordered scans, Sett against lmdbjava's cursor, on the same data inserted in random order
 * (issue 11): {@code records} records of the peer data set's shape (16-byte keys, 100-byte values),
 * loaded in a random key order ({@link ShuffledData}), page cache resident.
 * <ul>
 *   <li>{@code settForward}, {@code lmdbForward}: {@value #RANGE} consecutive keys from a random
 *       start; {@code settReverse}, {@code lmdbReverse}: the same range backwards. Scored per entry
 *       ({@code @OperationsPerInvocation}): ns per key visited.</li>
 *   <li>{@code settPrefix}, {@code lmdbPrefix}: every key under a random 14-byte prefix
 *       ({@code "user"} and the first 10 digits: {@value #PREFIX_KEYS} keys). Scored per scan.</li>
 * </ul>
 * Every scan reads each entry the same way: the key's last 8 bytes, plus the value as the point
 * reads consume it ({@link BenchData#consume}: four longs and the last byte), and checks how many
 * entries it saw. Sett takes a snapshot and a {@link Cursor} per scan; lmdbjava a read transaction
 * and a {@code Cursor} per scan (positioned with {@code MDB_SET_RANGE}, or {@code MDB_SET_KEY} at
 * the last key backwards), the fastest way its API offers. Sett's records sit in the order they
 * were written; nothing compacts them into key order first.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar PeerScanBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar PeerScanBenchmark -p records=20000 -f 1 -wi 0 -i 1 -r 200ms   # smoke
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerScanBenchmark {
  static final int RANGE = 10_000;
  static final int PREFIX_KEYS = 100;

  /** Records in each store (at least {@value #RANGE}). */
  @Param({"1000000"})
  public int records;

  /** A thread's random scan starts and prefixes. */
  @State(Scope.Thread)
  public static class Starts {
    private final SplittableRandom random = new SplittableRandom(17);
    private int records;

    @Setup(Level.Trial)
    public void setUp(PeerScanBenchmark b) {
      records = b.records;
    }

    /** A random first key number of a {@value #RANGE}-key range. */
    int range() {
      return random.nextInt(records - RANGE + 1);
    }

    /** A random prefix number p: the keys of numbers {@code p * 100 ... p * 100 + 99}. */
    int prefix() {
      return random.nextInt(records / PREFIX_KEYS);
    }
  }

  /** The 14-byte prefix of the keys {@code p * 100 ... p * 100 + 99}. */
  static byte[] prefixBytes(int p) {
    byte[] first = BenchData.key((long) p * PREFIX_KEYS);
    byte[] prefix = new byte[BenchData.KEY_SIZE - 2];
    System.arraycopy(first, 0, prefix, 0, prefix.length);
    return prefix;
  }

  /** What a scan adds up over the keys {@code from ... from + n - 1}, computed from the values written. */
  static long expectedSum(int from, int n) {
    long sum = 0;
    for (int i = from; i < from + n; i++) {
      sum += ByteBuffer.wrap(BenchData.key(i)).getLong(8) + BenchData.consume(BenchData.peerValue(i, PeerData.VALUE_SIZE));
    }
    return sum;
  }

  private static void checkCount(String what, int n, int expected) {
    if (n != expected) {
      throw new IllegalStateException(what + " saw " + n + " entries, expected " + expected);
    }
  }

  // ---- Sett ----------------------------------------------------------------------------------------

  /** Sett, loaded in random key order. */
  @State(Scope.Benchmark)
  public static class SettScan {
    Store store;

    @Setup(Level.Trial)
    public void setUp(PeerScanBenchmark b) throws IOException {
      store = ShuffledData.loadSett(b.records);
      long expected = expectedSum(b.records - RANGE, RANGE);
      long forward = scan(KeyRange.between(BenchData.key(b.records - RANGE), BenchData.key(b.records)), RANGE);
      long reverse = scan(KeyRange.between(BenchData.key(b.records - RANGE), BenchData.key(b.records)).reverse(), RANGE);
      if (forward != expected || reverse != expected) {
        throw new IllegalStateException("Sett's scans saw other bytes than were written: forward " + forward
            + ", reverse " + reverse + ", expected " + expected);
      }
    }

    long scan(KeyRange range, int expected) {
      long sum = 0;
      int n = 0;
      try (Snapshot s = store.snapshot(); Cursor c = s.scan(range)) {
        while (c.next()) {
          sum += c.key().getLong(8) + BenchData.consume(c.value());
          n++;
        }
      }
      checkCount("Sett scan of " + range, n, expected);
      return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      BenchData.closeAndDelete(store);
    }
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settForward(SettScan s, Starts r) {
    int from = r.range();
    return s.scan(KeyRange.between(BenchData.key(from), BenchData.key(from + RANGE)), RANGE);
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settReverse(SettScan s, Starts r) {
    int from = r.range();
    return s.scan(KeyRange.between(BenchData.key(from), BenchData.key(from + RANGE)).reverse(), RANGE);
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
      BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
      BenchJvm.NO_PERF_INFO})
  public long settPrefix(SettScan s, Starts r) {
    return s.scan(KeyRange.prefix(prefixBytes(r.prefix())), PREFIX_KEYS);
  }

  // ---- lmdbjava ------------------------------------------------------------------------------------

  /** lmdbjava, loaded in random key order, and a key buffer for positioning cursors. */
  @State(Scope.Benchmark)
  public static class LmdbScan {
    Peers.Lmdb lmdb;
    final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(BenchData.KEY_SIZE));

    @Setup(Level.Trial)
    public void setUp(PeerScanBenchmark b) throws IOException {
      lmdb = ShuffledData.loadLmdb(b.records);
      long expected = expectedSum(b.records - RANGE, RANGE);
      long forward = forward(b.records - RANGE);
      long reverse = reverse(b.records - RANGE);
      if (forward != expected || reverse != expected) {
        throw new IllegalStateException("lmdbjava's scans saw other bytes than were written: forward "
            + forward + ", reverse " + reverse + ", expected " + expected);
      }
    }

    /** {@value #RANGE} entries from key number {@code from}, forwards. */
    long forward(int from) {
      long sum = 0;
      int n = 0;
      key.putBytes(0, BenchData.key(from));
      try (Txn<DirectBuffer> txn = lmdb.env.txnRead(); org.lmdbjava.Cursor<DirectBuffer> c = lmdb.db.openCursor(txn)) {
        boolean more = c.get(key, GetOp.MDB_SET_RANGE);
        while (more && n < RANGE) {
          sum += c.key().getLong(8, ByteOrder.BIG_ENDIAN) + BenchData.consume(c.val());
          n++;
          more = c.next();
        }
      }
      checkCount("lmdbjava forward scan", n, RANGE);
      return sum;
    }

    /** The same entries as {@link #forward}, backwards from the last. */
    long reverse(int from) {
      long sum = 0;
      int n = 0;
      key.putBytes(0, BenchData.key(from + RANGE - 1));
      try (Txn<DirectBuffer> txn = lmdb.env.txnRead(); org.lmdbjava.Cursor<DirectBuffer> c = lmdb.db.openCursor(txn)) {
        boolean more = c.get(key, GetOp.MDB_SET_KEY);
        while (more && n < RANGE) {
          sum += c.key().getLong(8, ByteOrder.BIG_ENDIAN) + BenchData.consume(c.val());
          n++;
          more = c.prev();
        }
      }
      checkCount("lmdbjava reverse scan", n, RANGE);
      return sum;
    }

    /** Every key under prefix number {@code p}. */
    long prefix(int p) {
      byte[] prefix = prefixBytes(p);
      long sum = 0;
      int n = 0;
      key.putBytes(0, BenchData.key((long) p * PREFIX_KEYS));
      try (Txn<DirectBuffer> txn = lmdb.env.txnRead(); org.lmdbjava.Cursor<DirectBuffer> c = lmdb.db.openCursor(txn)) {
        boolean more = c.get(key, GetOp.MDB_SET_RANGE);
        while (more && startsWith(c.key(), prefix)) {
          sum += c.key().getLong(8, ByteOrder.BIG_ENDIAN) + BenchData.consume(c.val());
          n++;
          more = c.next();
        }
      }
      checkCount("lmdbjava prefix scan", n, PREFIX_KEYS);
      return sum;
    }

    private static boolean startsWith(DirectBuffer k, byte[] prefix) {
      if (k.capacity() < prefix.length) {
        return false;
      }
      for (int b = 0; b < prefix.length; b++) {
        if (k.getByte(b) != prefix[b]) {
          return false;
        }
      }
      return true;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (lmdb != null) {
        lmdb.close();
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long lmdbForward(LmdbScan s, Starts r) {
    return s.forward(r.range());
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long lmdbReverse(LmdbScan s, Starts r) {
    return s.reverse(r.range());
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {
      BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH, BenchJvm.LMDB_NO_CHECKS,
      BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS})
  public long lmdbPrefix(LmdbScan s, Starts r) {
    return s.prefix(r.prefix());
  }
}
