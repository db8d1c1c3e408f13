package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic: how many puts per second Sett takes, by value size and {@link SyncMode}, from one writer,
 * from two and from eight, one put at a time and in batches of {@value #BATCH}.
 *
 * <p>Every put overwrites a random key of a store preloaded with about 64 MiB of values (at most
 * 1M keys of 16 bytes, {@code "user"} + 12 digits; at least 1,024), so the index does not grow
 * while it is measured. Throughput mode: the score is puts per second summed over all writer
 * threads, so {@code put2Threads} and {@code put8Threads} against {@code put} show what group
 * commit buys under {@link SyncMode#ALWAYS} (writers share each {@code fsync}) and what the single
 * write lock costs under {@link SyncMode#NONE} (eight writers on two cores mostly wait for each
 * other).
 * Batches are {@link Store#write} of a {@link WriteBatch} of {@value #BATCH} puts built in the
 * benchmark method (the batch copies keys and values: part of the cost), scored per put.
 *
 * <p>{@link SyncMode#NONE}: each put is in the page cache when it returns. {@link SyncMode#ALWAYS}:
 * each put (or batch) is on disk when it returns, one {@code fsync} per write group, so its
 * throughput is the disk's flush rate, not Sett's; its iterations can be short (the run script
 * gives them 500 ms). Neither mode runs compaction work on purpose here; a store whose background
 * compaction starts mid-run (overwrites make dead records) pays for it in the score, as a user would.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar WriteBenchmark -p sync=NONE
 * java -jar store-bench/target/benchmarks.jar WriteBenchmark -p sync=ALWAYS -r 500ms
 * java -jar store-bench/target/benchmarks.jar 'WriteBenchmark.put$' -p sync=NONE -p valueSize=128 -f 1 -wi 2 -i 3   # quick look
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
    BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
    BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
    BenchJvm.NO_PERF_INFO})
public class WriteBenchmark {
  /** Bytes of values preloaded (and so the key space overwritten). */
  static final long DATA_BYTES = 64L << 20;
  static final int MAX_KEYS = 1 << 20;
  static final int MIN_KEYS = 1 << 10;
  static final int BATCH = 100;

  /** Value size in bytes. */
  @Param({"16", "128", "4096", "65536"})
  public int valueSize;

  /** When a put is forced to disk. */
  @Param({"NONE", "ALWAYS"})
  public SyncMode sync;

  private Store store;
  int keyCount;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    keyCount = (int) Math.max(MIN_KEYS, Math.min(MAX_KEYS, DATA_BYTES / valueSize));
    store = BenchData.openSett(StoreOptions.builder().syncMode(sync).build());
    // Loaded in batches (at most 1,000 records or 4 MiB, so a batch fits in a segment): under
    // ALWAYS that is one fsync per batch rather than per record.
    SplittableRandom random = new SplittableRandom(7);
    byte[] value = new byte[valueSize];
    WriteBatch batch = new WriteBatch();
    for (int i = 0; i < keyCount; i++) {
      BenchData.fill(random, value);
      batch.put(BenchData.key(i), value);
      if (batch.size() == 1000 || batch.payloadBytes() >= (4 << 20) || i == keyCount - 1) {
        store.write(batch);
        batch.clear();
      }
    }
    // The preload must not be flushed inside the first measured fsync.
    store.sync();
    if (store.stats().liveKeys() != keyCount) {
      throw new IllegalStateException("preloaded " + keyCount + " keys but the store holds "
          + store.stats().liveKeys());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    BenchData.closeAndDelete(store);
  }

  /** A writer thread's random keys and its own value buffer. */
  @State(Scope.Thread)
  public static class Writer {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private SplittableRandom random;
    private int keyCount;
    final byte[] key = new byte[BenchData.KEY_SIZE];
    byte[] value;
    final WriteBatch batch = new WriteBatch();
    private long counter;

    @Setup(Level.Trial)
    public void setUp(WriteBenchmark benchmark) {
      random = new SplittableRandom(1000 + THREADS.getAndIncrement());
      keyCount = benchmark.keyCount;
      value = new byte[benchmark.valueSize];
      BenchData.fill(random, value);
    }

    /** Points {@link #key} at a random existing key and changes the value's first bytes. */
    void next() {
      BenchData.writeKey(random.nextInt(keyCount), key);
      long c = ++counter;
      for (int i = 0; i < Math.min(Long.BYTES, value.length); i++) {
        value[i] = (byte) (c >>> (8 * i));
      }
    }
  }

  /** One writer, one put at a time. */
  @Benchmark
  @Threads(1)
  public void put(Writer w) {
    w.next();
    store.put(w.key, w.value);
  }

  /**
   * Two writers, one put at a time each: under ALWAYS, whether a second writer's puts share the
   * first one's fsyncs (issue 11 asks for at least 1.6 times the one-writer throughput).
   */
  @Benchmark
  @Threads(2)
  public void put2Threads(Writer w) {
    w.next();
    store.put(w.key, w.value);
  }

  /** Eight writers, one put at a time each: group commit under ALWAYS, lock contention under NONE. */
  @Benchmark
  @Threads(8)
  public void put8Threads(Writer w) {
    w.next();
    store.put(w.key, w.value);
  }

  /** One writer, batches of {@value #BATCH} puts; the score counts puts, not batches. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void batch100(Writer w) {
    WriteBatch b = w.batch.clear();
    for (int i = 0; i < BATCH; i++) {
      w.next();
      b.put(w.key, w.value);
    }
    store.write(b);
  }
}
