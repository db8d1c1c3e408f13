package dev.sett.bench;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic: how Sett's point reads scale with reader threads — 1, 2 and 4 threads reading random keys
 * of the peer data set ({@value PeerData#RECORDS} records, 16-byte keys, 100-byte values, page
 * cache resident; see {@link PeerData}), through the allocation-free callback and through a
 * snapshot view. Reads take no lock, so on a machine with N free cores throughput should grow
 * about N-fold up to N threads; this machine kind has 2 cores, so 4 threads shows oversubscription
 * rather than more speed.
 *
 * <p>Throughput mode: the score is reads per microsecond summed over all threads.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar ThreadedReadBenchmark
 * java -jar store-bench/target/benchmarks.jar 'ThreadedReadBenchmark.readLong' -f 1 -wi 2 -w 1s -i 3 -r 1s   # quick look
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH,
    BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
    BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS,
    BenchJvm.NO_PERF_INFO})
public class ThreadedReadBenchmark {
  private Store store;
  private Snapshot snapshot;

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

  /** A reader thread's random key stream. */
  @State(Scope.Thread)
  public static class Reader {
    private static final AtomicInteger THREADS = new AtomicInteger();
    final PeerData.RandomKeys keys = new PeerData.RandomKeys(THREADS.getAndIncrement());
  }

  @Benchmark
  @Threads(1)
  public long readLong1Thread(Reader r) {
    return store.readLong(r.keys.next(), BenchData::consume, -1);
  }

  @Benchmark
  @Threads(2)
  public long readLong2Threads(Reader r) {
    return store.readLong(r.keys.next(), BenchData::consume, -1);
  }

  @Benchmark
  @Threads(4)
  public long readLong4Threads(Reader r) {
    return store.readLong(r.keys.next(), BenchData::consume, -1);
  }

  @Benchmark
  @Threads(1)
  public long snapshotView1Thread(Reader r) {
    return BenchData.consume(snapshot.get(r.keys.next()));
  }

  @Benchmark
  @Threads(2)
  public long snapshotView2Threads(Reader r) {
    return BenchData.consume(snapshot.get(r.keys.next()));
  }

  @Benchmark
  @Threads(4)
  public long snapshotView4Threads(Reader r) {
    return BenchData.consume(snapshot.get(r.keys.next()));
  }
}
