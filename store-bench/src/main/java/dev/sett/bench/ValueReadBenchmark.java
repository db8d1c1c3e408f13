package dev.sett.bench;

import dev.sett.api.ByteView;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Topic: the cost of reading one value by key through each of Sett's read paths — a copy
 * ({@link Store#get}), a snapshot view ({@link Snapshot#get}) and a callback view
 * ({@link Store#readLong}) — with and without consuming the value.
 *
 * <p>The store holds about 64 MiB of values ({@value #DATA_BYTES} bytes / {@code valueSize} keys,
 * at most {@value #MAX_KEYS} keys, so 16 MiB of values for 16-byte values; 16-byte keys
 * {@code "user"} + 12 digits, random values) in the default 64 MiB segments: for every size, data
 * and index are larger than the 32 MiB L3 cache of the machine this was written on (at 16 B the
 * segment file is about 60 MiB: record headers and keys outweigh the values). Every invocation reads
 * a different key, walking a shuffled key order. The files live in the page cache (written just
 * before), so this measures memory, not the disk. Value sizes run from 16 B to 1 MiB; big values
 * mean few keys (64 at 1 MiB), so a run stays short whatever the size.
 *
 * <p>The plain variants do different amounts of work on purpose (that is the point of zero-copy):
 * {@code copyGet} copies every byte, {@code snapshotView} touches none of the value, and
 * {@code callbackReadLong} reads one long. The {@code *SumLongs} variants all read every byte of the
 * value (summing it as big-endian longs) and are the like-for-like comparison.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar ValueReadBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar ValueReadBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc   # quick look
 * java -jar store-bench/target/benchmarks.jar 'ValueReadBenchmark.copyGet$' -p valueSize=65536
 * java -jar store-bench/target/benchmarks.jar 'ValueReadBenchmark.(copyGet|snapshotView|callbackReadLong)$' -p valueSize=128,65536 -prof gc
 * </pre>
 * {@code store-bench/scripts/run-benchmarks.sh} runs this class with the others and writes a report.
 * Forks get the JVM flags Sett needs from {@link BenchJvm}; the same list works on JDK 17 and 25.
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
public class ValueReadBenchmark {
  /** Total bytes of values in the store. */
  static final long DATA_BYTES = 64L << 20;
  /** Cap on the number of keys (it binds only for 16-byte values), to keep setup short. */
  static final int MAX_KEYS = 1 << 20;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Value size in bytes. */
  @Param({"16", "128", "1024", "4096", "65536", "1048576"})
  public int valueSize;

  private Path dir;
  private Store store;
  private Snapshot snapshot;
  /** Every key once, in a shuffled order. */
  byte[][] keys;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (valueSize % Long.BYTES != 0) {
      throw new IllegalArgumentException("valueSize must be a multiple of 8, got " + valueSize);
    }
    int n = (int) Math.min(MAX_KEYS, DATA_BYTES / valueSize);
    store = BenchData.openSett(StoreOptions.builder().segmentSize(StoreOptions.DEFAULT_SEGMENT_SIZE).build());
    dir = store.directory();

    SplittableRandom random = new SplittableRandom(42);
    byte[] value = new byte[valueSize];
    keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = BenchData.key(i);
      BenchData.fill(random, value);
      store.put(keys[i], value);
    }
    store.sync();
    BenchData.shuffle(keys, random);
    snapshot = store.snapshot();
    check();
  }

  /**
   * The four paths must agree on the bytes and their order before they are timed against each other.
   */
  private void check() {
    for (int i = 0; i < Math.min(keys.length, 1000); i++) {
      byte[] k = keys[i];
      byte[] copy = store.get(k);
      if (copy == null || copy.length != valueSize) {
        throw new IllegalStateException("get returned " + (copy == null ? "null" : copy.length + " bytes")
            + " for a stored key of " + valueSize);
      }
      long expected = sumLongs(copy);
      ByteView view = snapshot.get(k);
      long viaView = sumLongs(view);
      long viaBuffer = sumLongs(view.asByteBuffer().asLongBuffer());
      long viaCallback = store.readLong(k, ValueReadBenchmark::sumLongs, -1);
      long first = store.readLong(k, v -> v.getLong(0), -1);
      if (viaView != expected || viaBuffer != expected || viaCallback != expected
          || first != (long) LONG_BE.get(copy, 0) || view.size() != valueSize) {
        throw new IllegalStateException("read paths disagree for key " + new String(k, StandardCharsets.US_ASCII)
            + ": copy " + expected + ", snapshot view " + viaView + ", view buffer " + viaBuffer
            + ", callback " + viaCallback + ", first long " + first + " vs " + (long) LONG_BE.get(copy, 0));
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try {
      if (snapshot != null) {
        snapshot.close();
      }
      if (store != null) {
        store.close();
      }
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  /** Per-thread position in the shuffled key order (threads start at different places). */
  @State(Scope.Thread)
  public static class Keys {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private byte[][] order;
    private int next;

    @Setup(Level.Trial)
    public void setUp(ValueReadBenchmark benchmark) {
      order = benchmark.keys;
      next = (int) ((THREADS.getAndIncrement() * 0x9E3779B9L & 0xFFFF_FFFFL) % order.length);
    }

    byte[] next() {
      byte[] k = order[next];
      if (++next == order.length) {
        next = 0;
      }
      return k;
    }
  }

  // ---- copying ------------------------------------------------------------------------------

  /** A copy of the value in a new array. */
  @Benchmark
  public byte[] copyGet(Keys keys) {
    return store.get(keys.next());
  }

  /** A copy, then every long of it summed. */
  @Benchmark
  public long copyGetSumLongs(Keys keys) {
    return sumLongs(store.get(keys.next()));
  }

  // ---- snapshot views -----------------------------------------------------------------------

  /** A view of the value in the mapping, from a snapshot opened at setup; the value is not read. */
  @Benchmark
  public ByteView snapshotView(Keys keys) {
    return snapshot.get(keys.next());
  }

  /** A snapshot view, every long read through {@link ByteView#getLong}. */
  @Benchmark
  public long snapshotViewSumLongs(Keys keys) {
    return sumLongs(snapshot.get(keys.next()));
  }

  /** A snapshot view, every long read through {@code asByteBuffer().asLongBuffer()}. */
  @Benchmark
  public long snapshotViewSumLongsBuffer(Keys keys) {
    return sumLongs(snapshot.get(keys.next()).asByteBuffer().asLongBuffer());
  }

  // ---- callback views -----------------------------------------------------------------------

  /** The allocation-free path: a non-capturing lambda reads the first long and the size. */
  @Benchmark
  public long callbackReadLong(Keys keys) {
    return store.readLong(keys.next(), v -> v.getLong(0) + v.size(), -1);
  }

  /** The allocation-free path, every long read through {@link ByteView#getLong}. */
  @Benchmark
  public long callbackSumLongs(Keys keys) {
    return store.readLong(keys.next(), ValueReadBenchmark::sumLongs, -1);
  }

  // ---- helpers ------------------------------------------------------------------------------

  static long sumLongs(byte[] value) {
    long sum = 0;
    for (int i = 0; i + Long.BYTES <= value.length; i += Long.BYTES) {
      sum += (long) LONG_BE.get(value, i);
    }
    return sum;
  }

  static long sumLongs(ByteView value) {
    long sum = 0;
    int n = value.size();
    for (int i = 0; i + Long.BYTES <= n; i += Long.BYTES) {
      sum += value.getLong(i);
    }
    return sum;
  }

  static long sumLongs(LongBuffer longs) {
    long sum = 0;
    for (int i = 0, n = longs.limit(); i < n; i++) {
      sum += longs.get(i);
    }
    return sum;
  }
}
