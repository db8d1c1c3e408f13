package dev.sett.bench;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Topic: ordered scans — a {@link Cursor} over {@value #RANGE} consecutive keys, forwards and in
 * reverse, reading only the keys or the keys and their values.
 *
 * <p>The store holds {@value #RECORDS} records (16-byte keys {@code "user"} + 12 digits, 100-byte
 * values: the peer data set's shape), loaded in key order. Each invocation takes a snapshot, scans
 * the range {@code [key(s), key(s + RANGE))} from a random start {@code s} (or its reverse), and
 * closes both; the score is per entry ({@code @OperationsPerInvocation}), so nanoseconds per key
 * visited. A keys-only scan reads the last 8 bytes of each key (its digits); a keys-and-values scan
 * also consumes the value the way every point-read benchmark does (four longs and the last byte).
 * Every scan checks that it saw exactly {@value #RANGE} entries.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar ScanBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar ScanBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc   # quick look
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
    BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
    BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
    BenchJvm.NO_PERF_INFO})
public class ScanBenchmark {
  static final int RECORDS = 200_000;
  static final int RANGE = 10_000;
  static final int VALUE_SIZE = 100;

  private Store store;
  private final SplittableRandom random = new SplittableRandom(11);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    store = BenchData.openSett(StoreOptions.defaults());
    WriteBatch batch = new WriteBatch();
    for (int i = 0; i < RECORDS; i++) {
      batch.put(BenchData.key(i), BenchData.peerValue(i, VALUE_SIZE));
      if (batch.size() == 1000) {
        store.write(batch);
        batch.clear();
      }
    }
    store.write(batch);
    store.sync();
    // Both directions must see the same entries in mirrored order.
    byte[] from = BenchData.key(1234);
    byte[] to = BenchData.key(1234 + RANGE);
    long forward = scan(KeyRange.between(from, to), true);
    long reverse = scan(KeyRange.between(from, to).reverse(), true);
    long expected = 0;
    for (int i = 1234; i < 1234 + RANGE; i++) {
      expected += keyTail(BenchData.key(i)) + BenchData.consume(BenchData.peerValue(i, VALUE_SIZE));
    }
    if (forward != reverse || forward != expected) {
      throw new IllegalStateException("scans saw other bytes than were written: forward " + forward
          + ", reverse " + reverse + ", expected " + expected);
    }
  }

  /** The key's last 8 bytes as a big-endian long: what a scan reads of each key. */
  private static long keyTail(byte[] k) {
    long tail = 0;
    for (int b = 8; b < 16; b++) {
      tail = (tail << 8) | (k[b] & 0xFF);
    }
    return tail;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    BenchData.closeAndDelete(store);
  }

  private KeyRange randomRange() {
    int start = random.nextInt(RECORDS - RANGE + 1);
    return KeyRange.between(BenchData.key(start), BenchData.key(start + RANGE));
  }

  private long scan(KeyRange range, boolean values) {
    long sum = 0;
    int n = 0;
    try (Snapshot s = store.snapshot(); Cursor c = s.scan(range)) {
      while (c.next()) {
        ByteView k = c.key();
        sum += k.getLong(8);
        if (values) {
          sum += BenchData.consume(c.value());
        }
        n++;
      }
    }
    if (n != RANGE) {
      throw new IllegalStateException("scan of " + range + " saw " + n + " entries, expected " + RANGE);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  public long forwardKeys() {
    return scan(randomRange(), false);
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  public long forwardKeysValues() {
    return scan(randomRange(), true);
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  public long reverseKeys() {
    return scan(randomRange().reverse(), false);
  }

  @Benchmark
  @OperationsPerInvocation(RANGE)
  public long reverseKeysValues() {
    return scan(randomRange().reverse(), true);
  }
}
