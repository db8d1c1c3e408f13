package dev.sett.bench;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 11's 64 KiB read outside JMH: a plain loop, as a user would write one, of random point
 * reads that each read one long of a {@value #VALUE_SIZE}-byte value, through a copy
 * ({@code get}, then the long from the array) and through a view ({@code snapshot.get}, then
 * {@code getLong}) of a snapshot taken for each pass over the keys; also with a snapshot opened and
 * closed per read.
 * The store is {@code ValueReadBenchmark}'s at this size: 64 MiB of values (1,024 keys), page cache
 * resident, read in a shuffled key order.
 *
 * <p>Each path runs for {@code seconds} per round, for {@code rounds} rounds after one warm-up
 * round, the paths taking turns within a round; the figure is the median round, ns per read. The
 * sum of the longs read is printed, so the loop's work cannot be dropped. Results: class
 * {@code PlainLoopReads}, parameter {@code valueSize}.
 *
 * <p><b>How to run</b>: {@code java <Sett's flags> -Xms2g -Xmx2g -cp store-bench/target/benchmarks.jar
 * dev.sett.bench.PlainLoopReads out.json [seconds per round] [rounds]} (defaults 1 and 5).
 */
public final class PlainLoopReads {
  static final int VALUE_SIZE = 64 << 10;
  static final int KEYS = (int) (ValueReadBenchmark.DATA_BYTES / VALUE_SIZE);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Store store;
  private final byte[][] keys;
  private long sink;

  private PlainLoopReads(Store store, byte[][] keys) {
    this.store = store;
    this.keys = keys;
  }

  /** Arguments: output JSON file, seconds per round, rounds. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: PlainLoopReads OUT_JSON [SECONDS_PER_ROUND] [ROUNDS]");
      System.exit(2);
    }
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Store store = BenchData.openSett(StoreOptions.defaults());
    try {
      SplittableRandom random = new SplittableRandom(42);
      byte[] value = new byte[VALUE_SIZE];
      byte[][] keys = new byte[KEYS][];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = BenchData.key(i);
        BenchData.fill(random, value);
        store.put(keys[i], value);
      }
      store.sync();
      BenchData.shuffle(keys, random);
      PlainLoopReads loop = new PlainLoopReads(store, keys);
      long[] nanos = new long[ReadPath.values().length];
      double[][] perRead = new double[ReadPath.values().length][rounds];
      for (int round = -1; round < rounds; round++) {
        for (ReadPath p : ReadPath.values()) {
          double ns = loop.run(p, seconds);
          if (round >= 0) {
            perRead[p.ordinal()][round] = ns;
          }
        }
      }
      ResultFile results = new ResultFile(PlainLoopReads.class);
      for (ReadPath p : ReadPath.values()) {
        double[] r = perRead[p.ordinal()];
        Arrays.sort(r);
        double median = r[r.length / 2];
        nanos[p.ordinal()] = Math.round(median);
        results.add(p.method, median, "ns/op", rounds, "valueSize", String.valueOf(VALUE_SIZE));
        System.out.printf(Locale.ROOT, "   %-28s %,12.1f ns/read (median of %d rounds)%n", p.method, median, rounds);
      }
      System.out.printf(Locale.ROOT, "   copy ÷ view: %.0f×   (sum of longs read: %d)%n",
          (double) nanos[ReadPath.COPY.ordinal()] / Math.max(1, nanos[ReadPath.VIEW.ordinal()]), loop.sink);
      results.write(Path.of(args[0]));
    } finally {
      BenchData.closeAndDelete(store);
    }
  }

  /** The read paths. */
  private enum ReadPath {
    COPY("copyGetLong"), VIEW("viewGetLong"), VIEW_SNAPSHOT_PER_READ("viewSnapshotPerReadGetLong");

    final String method;

    ReadPath(String method) {
      this.method = method;
    }
  }

  /** Reads through {@code path} for about {@code seconds}; ns per read. */
  private double run(ReadPath path, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long reads = 0;
    long now;
    do {
      switch (path) {
        case COPY -> copyPass();
        case VIEW -> viewPass();
        default -> snapshotPerReadPass();
      }
      reads += keys.length;
      now = System.nanoTime();
    } while (now - start < budget);
    return (double) (now - start) / reads;
  }

  private void copyPass() {
    long sum = 0;
    for (byte[] k : keys) {
      byte[] v = store.get(k);
      sum += (long) LONG_BE.get(v, 0);
    }
    sink += sum;
  }

  private void viewPass() {
    long sum = 0;
    try (Snapshot s = store.snapshot()) {
      for (byte[] k : keys) {
        sum += s.get(k).getLong(0);
      }
    }
    sink += sum;
  }

  private void snapshotPerReadPass() {
    long sum = 0;
    for (byte[] k : keys) {
      try (Snapshot s = store.snapshot()) {
        sum += s.get(k).getLong(0);
      }
    }
    sink += sum;
  }
}
