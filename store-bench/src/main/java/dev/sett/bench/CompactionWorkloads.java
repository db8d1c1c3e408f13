package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.core.Sett;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Space reclamation measured on long-running workloads (not JMH: what matters is where disk usage
 * settles after many rounds, and throughput over seconds while compaction runs).
 *
 * <ol>
 *   <li><b>overwrite</b>: N keys, then rounds that overwrite a random half of them; prints disk
 *       bytes / live bytes after each round (target: settles at or below 1.5).</li>
 *   <li><b>queue</b>: a sliding window of W live keys: each step inserts a new key and deletes the
 *       oldest (target: disk settles at or below 2x the window's bytes).</li>
 *   <li><b>throughput</b>: puts and gets from two threads for a few seconds on a store full of
 *       garbage, with background compaction off and then on; prints the on/off ratios (target: at
 *       least 0.8 each).</li>
 * </ol>
 *
 * <p>How to run (after {@code ./mvnw -B -DskipTests install}):
 * <pre>
 * java --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
 *      --add-exports java.base/jdk.internal.ref=ALL-UNNAMED -Xms2g -Xmx2g \
 *      -cp store-bench/target/benchmarks.jar dev.sett.bench.CompactionWorkloads [keys] [valueBytes] [seconds] [segmentMiB]
 * </pre>
 * Defaults: 200,000 keys of 1,000 bytes (about 200 MB live), 5 s per throughput phase, the default
 * 64 MiB segments. Stores go to a temporary directory that is deleted afterwards.
 */
public final class CompactionWorkloads {
  private static int segmentSize;

  private CompactionWorkloads() {
  }

  private static StoreOptions.Builder options() {
    return StoreOptions.builder().segmentSize(segmentSize);
  }

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    segmentSize = args.length > 3 ? Integer.parseInt(args[3]) << 20 : StoreOptions.DEFAULT_SEGMENT_SIZE;
    System.out.printf("JDK %s, %d CPUs; %,d keys x %,d B values, %d MiB segments%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), keys, valueBytes, segmentSize >> 20);
    Path root = Files.createTempDirectory("sett-compaction-bench");
    try {
      overwrite(root.resolve("overwrite"), keys, valueBytes);
      queue(root.resolve("queue"), keys, valueBytes);
      throughput(root.resolve("throughput"), keys, valueBytes, seconds);
    } finally {
      delete(root);
    }
  }

  private static byte[] key(long i) {
    return String.format("key%013d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void overwrite(Path dir, int keys, int valueBytes) throws InterruptedException {
    System.out.println("\n== overwrite: a random half of the keys rewritten each round");
    SplittableRandom rnd = new SplittableRandom(1);
    byte[] value = new byte[valueBytes];
    try (Store s = Sett.open(dir, options().build())) {
      for (int k = 0; k < keys; k++) {
        s.put(key(k), value);
      }
      double worst = 0;
      for (int round = 1; round <= 12; round++) {
        for (int i = 0; i < keys / 2; i++) {
          s.put(key(rnd.nextInt(keys)), value);
        }
        StoreStats st = settle(s);
        double amp = st.spaceAmplification();
        if (round > 4) {
          worst = Math.max(worst, amp);
        }
        System.out.printf("round %2d: disk %,d MB, live %,d MB, amplification %.2f, compactions %d%n", round,
            st.diskBytes() >> 20, st.liveBytes() >> 20, amp, st.compactionsRun());
      }
      System.out.printf("overwrite: worst amplification after round 4 = %.2f (target <= 1.5)%n", worst);
    }
  }

  private static void queue(Path dir, int window, int valueBytes) throws InterruptedException {
    System.out.println("\n== queue: insert the newest key, delete the oldest, window " + window);
    byte[] value = new byte[valueBytes];
    try (Store s = Sett.open(dir, options().build())) {
      long next = 0;
      for (; next < window; next++) {
        s.put(key(next), value);
      }
      long windowBytes = s.stats().liveBytes();
      double worst = 0;
      for (int round = 1; round <= 12; round++) {
        for (int i = 0; i < window / 2; i++, next++) {
          s.put(key(next), value);
          s.delete(key(next - window));
        }
        StoreStats st = settle(s);
        double ratio = (double) st.diskBytes() / windowBytes;
        if (round > 4) {
          worst = Math.max(worst, ratio);
        }
        System.out.printf("round %2d: disk %,d MB, window %,d MB, disk/window %.2f, tombstones %,d KB, keys %,d%n",
            round, st.diskBytes() >> 20, windowBytes >> 20, ratio, st.tombstoneBytes() >> 10, st.liveKeys());
      }
      System.out.printf("queue: worst disk/window after round 4 = %.2f (target <= 2.0)%n", worst);
    }
  }

  /**
   * Lets background compaction catch up, as it would between bursts of a real workload: waits until
   * neither the compaction count nor the bytes on disk changed for a second (at most 60 s).
   */
  private static StoreStats settle(Store s) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = "";
    int quiet = 0;
    while (System.nanoTime() < deadline && quiet < 2) {
      Thread.sleep(500);
      StoreStats st = s.stats();
      String now = st.compactionsRun() + "/" + st.dataBytes() + "/" + st.segmentCount();
      quiet = now.equals(last) ? quiet + 1 : 0;
      last = now;
    }
    return s.stats();
  }

  /**
   * Alternates phases with compaction off and on, three of each, and compares the medians: on a
   * shared 2-core machine single phases differ by more than the effect being measured.
   */
  private static void throughput(Path dir, int keys, int valueBytes, int seconds) throws Exception {
    System.out.println("\n== throughput: 1 writer (random overwrites) + 1 reader (random gets), " + seconds
        + " s per phase, off/on alternating x3");
    double[][] off = new double[3][];
    double[][] on = new double[3][];
    for (int i = 0; i < 3; i++) {
      off[i] = phase(dir.resolve("off" + i), keys, valueBytes, seconds, false);
      on[i] = phase(dir.resolve("on" + i), keys, valueBytes, seconds, true);
      System.out.printf("pair %d: off %,.0f puts/s %,.0f gets/s | on %,.0f puts/s %,.0f gets/s (%d compactions)%n", i + 1,
          off[i][0], off[i][1], on[i][0], on[i][1], (long) on[i][2]);
    }
    double putsOff = median(off, 0);
    double getsOff = median(off, 1);
    double putsOn = median(on, 0);
    double getsOn = median(on, 1);
    System.out.printf("medians: off %,.0f puts/s, %,.0f gets/s; on %,.0f puts/s, %,.0f gets/s%n", putsOff, getsOff,
        putsOn, getsOn);
    System.out.printf("ratio on/off: puts %.2f, gets %.2f (target >= 0.80 each)%n", putsOn / putsOff, getsOn / getsOff);
  }

  private static double median(double[][] runs, int column) {
    double[] v = new double[runs.length];
    for (int i = 0; i < runs.length; i++) {
      v[i] = runs[i][column];
    }
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }

  private static double[] phase(Path dir, int keys, int valueBytes, int seconds, boolean compaction) throws Exception {
    byte[] value = new byte[valueBytes];
    StoreOptions options = options().autoCompaction(compaction).build();
    try (Store s = Sett.open(dir, options)) {
      for (int k = 0; k < keys; k++) {
        s.put(key(k), value);
      }
      for (int k = 0; k < keys; k++) {
        s.put(key(k), value);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong puts = new AtomicLong();
      AtomicLong gets = new AtomicLong();
      Thread writer = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(2);
        long n = 0;
        while (!stop.get()) {
          s.put(key(rnd.nextInt(keys)), value);
          n++;
        }
        puts.set(n);
      });
      Thread reader = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(3);
        long n = 0;
        long sum = 0;
        while (!stop.get()) {
          sum += s.readLong(key(rnd.nextInt(keys)), v -> v.getLong(0) + v.size(), 0);
          n++;
        }
        gets.set(n + (sum == 42 ? 1 : 0));
      });
      long runsBefore = s.stats().compactionsRun();
      long reclaimedBefore = s.stats().bytesReclaimed();
      long start = System.nanoTime();
      writer.start();
      reader.start();
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      writer.join();
      reader.join();
      double secs = (System.nanoTime() - start) / 1e9;
      StoreStats st = s.stats();
      return new double[] {puts.get() / secs, gets.get() / secs, st.compactionsRun() - runsBefore,
          st.bytesReclaimed() - reclaimedBefore};
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
