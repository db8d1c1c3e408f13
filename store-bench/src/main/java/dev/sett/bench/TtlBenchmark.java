package dev.sett.bench;

import dev.sett.api.CompactionResult;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Topic: what expiry costs. {@code read*}: a random point read ({@code readLong} of the value's
 * first long) in a store of {@value #KEYS} keys with 100-byte values, written with a ttl of a day or
 * without one ({@code ttl=none|1d}): an expiring record costs a flag test, one more 8-byte read and
 * the clock. {@code compact}: one compaction of {@value #KEYS} records that have all expired, against
 * the same records all deleted ({@code reclaim=expired|deleted}); the score is the time of the whole
 * {@code compact(true)}, and {@code reclaimedMiB} how much segment space it gave back.
 *
 * <p>The store's clock is a field the benchmark moves, so records expire without waiting.
 *
 * <p><b>How to run</b> (after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar TtlBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@Fork(value = 2, jvmArgsAppend = {
    BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
    BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
    BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS, BenchJvm.NO_PERF_INFO})
public class TtlBenchmark {
  static final int KEYS = 200_000;
  static final int VALUE_SIZE = 100;

  /** A clock the benchmark moves. */
  static final class MovableClock implements InstantSource {
    volatile long millis = 1_800_000_000_000L;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  static Store load(MovableClock clock, Duration ttl) throws IOException {
    Store store = BenchData.openSett(StoreOptions.builder().syncMode(SyncMode.NONE).autoCompaction(false)
        .clock(clock).build());
    WriteBatch b = new WriteBatch();
    for (int i = 0; i < KEYS; i++) {
      byte[] v = BenchData.peerValue(i, VALUE_SIZE);
      if (ttl == null) {
        b.put(BenchData.key(i), v);
      } else {
        b.put(BenchData.key(i), v, ttl);
      }
      if (b.size() == 1000) {
        store.write(b);
        b.clear();
      }
    }
    store.write(b);
    return store;
  }

  // ---- reads --------------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class Reads {
    @Param({"none", "1d"})
    String ttl;
    Store store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      store = load(new MovableClock(), ttl.equals("none") ? null : Duration.ofDays(1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      BenchData.closeAndDelete(store);
    }
  }

  @State(Scope.Thread)
  public static class Keys {
    private final SplittableRandom random = new SplittableRandom(42);
    final byte[] key = new byte[BenchData.KEY_SIZE];

    void next() {
      BenchData.writeKey(random.nextInt(KEYS), key);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long readLong(Reads s, Keys k) {
    k.next();
    return s.store.readLong(k.key, v -> v.getLong(0), -1);
  }

  // ---- compaction ---------------------------------------------------------------------------------

  /** Space given back by each measured compaction, reported beside the time. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Reclaimed {
    public double reclaimedMiB;

    @Setup(Level.Iteration)
    public void reset() {
      reclaimedMiB = 0;
    }
  }

  @State(Scope.Benchmark)
  public static class Compaction {
    @Param({"expired", "deleted"})
    String reclaim;
    MovableClock clock;
    Store store;

    @Setup(Level.Invocation)
    public void setUp() throws IOException {
      clock = new MovableClock();
      store = load(clock, reclaim.equals("expired") ? Duration.ofMinutes(1) : null);
      if (reclaim.equals("expired")) {
        clock.millis += Duration.ofMinutes(2).toMillis();
      } else {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < KEYS; i++) {
          b.delete(BenchData.key(i));
          if (b.size() == 1000) {
            store.write(b);
            b.clear();
          }
        }
        store.write(b);
      }
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws IOException {
      BenchData.closeAndDelete(store);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public CompactionResult compact(Compaction s, Reclaimed r) {
    CompactionResult result = s.store.compact(true);
    if (result.segmentsCompacted() == 0) {
      throw new IllegalStateException("nothing was compacted: " + result);
    }
    r.reclaimedMiB += result.bytesReclaimed() / (1024.0 * 1024.0);
    return result;
  }
}
