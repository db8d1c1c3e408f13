package dev.sett.tools;

import dev.sett.api.ByteView;
import dev.sett.api.CompactionResult;
import dev.sett.api.LongValueReader;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sett demo [DIR]}: creates a store, loads two datasets (small and large values), reads random
 * keys back through the three read paths, prints what each costs in time and allocation, overwrites
 * half the small records and compacts to show the space coming back, and ends with {@code sett info}.
 *
 * <p>Every value starts with its record number as a big-endian long, and every read takes that
 * number, so the demo also checks that each path returns the right bytes.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Creates a demo store and shows what each way of reading a value costs.",
    description = {
        "Creates a store in DIR, loads N records with 16-byte keys and 100-byte values plus a few"
            + " with 64 KiB values, reads random keys back through store.get (a copy),"
            + " snapshot.get (a zero-copy view) and store.readLong (an allocation-free callback),"
            + " and prints the time and heap allocation of each read. Then it overwrites half of the"
            + " small records, runs a compaction to give the space of the old versions back, and"
            + " ends with 'sett info' on the store.",
        "DIR must be new, empty, or a store made by an earlier 'sett demo' (which is replaced)."})
final class DemoCommand implements Callable<Integer> {
  static final int KEY_SIZE = 16;
  static final int SMALL_VALUE = 100;
  static final int LARGE_VALUE = 64 << 10;
  /** Small records per large one; the large dataset is clamped to [MIN_LARGE, MAX_LARGE]. */
  static final int SMALL_PER_LARGE = 500;
  static final int MIN_LARGE = 20;
  static final int MAX_LARGE = 2_000;
  static final int MAX_SMALL_READS = 200_000;
  static final int MAX_LARGE_READS = 20_000;
  /**
   * How long each path runs before it is timed. Copying a 64 KiB value is about 20 times slower
   * until the JIT has compiled the copy loop, which takes well over 5,000 reads.
   */
  static final long WARM_UP_NANOS = 300_000_000L;
  /** Timed rounds per path; the median round is reported. */
  static final int ROUNDS = 5;
  /** Columns that paragraphs of output are wrapped to. */
  static final int WIDTH = 100;
  /** Returns the record number stored in a value's first eight bytes. */
  private static final LongValueReader FIRST_LONG = v -> v.getLong(0);

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "sett-demo",
      description = "Directory of the demo store (default: ./${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--records", paramLabel = "N", defaultValue = "1000000",
      description = "Records with 100-byte values to load (default: ${DEFAULT-VALUE}). N/"
          + SMALL_PER_LARGE + " records with 64 KiB values (at least " + MIN_LARGE + ", at most "
          + MAX_LARGE + ") are loaded too.")
  int records;

  @Mixin
  SharedOptions.NoProgress noProgress;

  /** One dataset: keys are a tag letter and a 15-digit record number, e.g. "s000000000000042". */
  record Dataset(String label, char tag, int count, int valueSize) {
    void fillKey(byte[] key, long n) {
      key[0] = (byte) tag;
      for (int i = KEY_SIZE - 1; i >= 1; i--) {
        key[i] = (byte) ('0' + n % 10);
        n /= 10;
      }
    }

    byte[] key(long n) {
      byte[] key = new byte[KEY_SIZE];
      fillKey(key, n);
      return key;
    }
  }

  /** Keys to read, in order, and the sum of their record numbers. */
  record Sample(byte[][] keys, long expectedSum) {
    static Sample of(Dataset d, int reads, SplittableRandom random) {
      byte[][] keys = new byte[reads][];
      long sum = 0;
      for (int i = 0; i < reads; i++) {
        int n = random.nextInt(d.count());
        keys[i] = d.key(n);
        sum += n;
      }
      return new Sample(keys, sum);
    }
  }

  /** The three ways to read a value, each timed in its own loop. */
  enum ReadPath {
    GET("store.get", "copy into a new byte[]"),
    SNAPSHOT("snapshot.get", "zero-copy view"),
    READ_LONG("store.readLong", "in-place callback");

    final String call;
    final String how;

    ReadPath(String call, String how) {
      this.call = call;
      this.how = how;
    }
  }

  /** What one read path cost on one dataset. {@code bytesPerRead} is NaN if it cannot be measured. */
  record Measurement(Dataset dataset, ReadPath path, double nsPerRead, double bytesPerRead) {
  }

  @Override
  public Integer call() {
    if (records < 1) {
      throw new ParameterException(spec.commandLine(), "--records must be at least 1, not " + records);
    }
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = noProgress.progress();
    AllocationMeter meter = AllocationMeter.create();
    Path abs = dir.toAbsolutePath().normalize();

    Dataset small = new Dataset("100 B", 's', records, SMALL_VALUE);
    Dataset large = new Dataset("64 KiB", 'L',
        Math.max(MIN_LARGE, Math.min(MAX_LARGE, records / SMALL_PER_LARGE)), LARGE_VALUE);

    boolean replaced = DemoDirectory.prepare(abs);
    out.printf(Locale.ROOT, "%s a demo store in %s (Java %s, %d CPUs)%n",
        replaced ? "Recreating" : "Creating", abs, Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    out.flush();

    List<Measurement> results = new ArrayList<>();
    long closeStart;
    try (Store store = StoreAccess.open(abs, StoreOptions.defaults())) {
      DemoDirectory.markAsDemo(abs);
      for (Dataset d : List.of(small, large)) {
        long nanos = load(store, d, progress);
        out.printf(Locale.ROOT, "Wrote %,d records (%d-byte keys, %s values) in %.2f s: %,.0f puts/s%n",
            d.count(), KEY_SIZE, d.label(), nanos / 1e9, d.count() / (nanos / 1e9));
        out.flush();
      }

      SplittableRandom random = new SplittableRandom(42);
      int smallReads = Math.min(MAX_SMALL_READS, Math.max(20_000, records / 5)) / ROUNDS * ROUNDS;
      int largeReads = Math.min(MAX_LARGE_READS, Math.max(2_000, large.count() * 10)) / ROUNDS * ROUNDS;
      progress.start("timing random reads, path", 6);
      int step = 0;
      for (Dataset d : List.of(small, large)) {
        int reads = d == small ? smallReads : largeReads;
        Sample warmUp = Sample.of(d, Math.max(5_000, reads / 4), random);
        List<Sample> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
          rounds.add(Sample.of(d, reads / ROUNDS, random));
        }
        for (ReadPath path : ReadPath.values()) {
          results.add(measure(store, d, path, warmUp, rounds, meter));
          progress.update(++step);
        }
      }
      progress.finish();

      out.println();
      TextTable.printWrapped(out, String.format(Locale.ROOT, "Random reads of %,d keys with %s values"
          + " and %,d with %s values; each read fetches the record number stored in the value's first"
          + " 8 bytes, and the demo checks it. ns/read is the average time of one read (the median of"
          + " %d timed rounds), bytes allocated/read the heap allocated per read on this thread, in the"
          + " median round as well.",
          smallReads, small.label(), largeReads, large.label(), ROUNDS), WIDTH);
      out.println();
      TextTable table = new TextTable("LLLRR")
          .header("value", "read path", "", "ns/read", "bytes allocated/read");
      for (Measurement m : results) {
        table.row(m.dataset().label(), m.path().call, m.path().how, decimal(m.nsPerRead()),
            Double.isNaN(m.bytesPerRead()) ? "n/a" : decimal(m.bytesPerRead()));
      }
      table.print(out, "  ");
      out.println();
      TextTable.printWrapped(out, "store.get copies each value into a new byte[], so its time and"
          + " allocation grow with the value size, while snapshot.get and store.readLong read the"
          + " memory-mapped file in place, so a 64 KiB value costs them about as little as a 100-byte"
          + " one, and readLong allocates at most its callback's small view object (which the JIT's"
          + " escape analysis usually removes: then nothing at all).", WIDTH);
      if (!meter.supported()) {
        out.println("(This JVM cannot measure per-thread allocation, hence n/a.)");
      }
      out.println();
      reclaimSpace(store, small, progress, out);
      closeStart = System.nanoTime();
    }
    out.printf(Locale.ROOT, "%nClosed the store (close syncs it to disk) in %.2f s. What 'sett info %s' says"
        + " of it now:%n%n", (System.nanoTime() - closeStart) / 1e9, dir);
    out.flush();
    CommandLine info = SettCli.commandLine();
    info.setOut(out);
    info.setErr(spec.commandLine().getErr());
    return info.execute("info", abs.toString());
  }

  /**
   * Overwrites the first half of {@code d} (same record numbers, so later reads still check), which
   * leaves the old versions as dead data, then compacts and says what came back.
   */
  private static void reclaimSpace(Store store, Dataset d, Progress progress, PrintWriter out) {
    Dataset half = new Dataset(d.label(), d.tag(), d.count() / 2, d.valueSize());
    long nanos = load(store, half, progress);
    StoreStats before = store.stats();
    TextTable.printWrapped(out, String.format(Locale.ROOT, "Overwrote %,d of the %s records in %.2f s: the old"
        + " versions are now %s of dead data (%.0f%% of what was written).", half.count(), d.label(), nanos / 1e9,
        StatsFormat.size(before.deadBytes()), 100.0 * before.deadBytes() / Math.max(1, before.dataBytes())), WIDTH);
    progress.startIndefinite("compacting");
    CompactionResult r = store.compact(true);
    progress.finish();
    StoreStats after = store.stats();
    TextTable.printWrapped(out, String.format(Locale.ROOT, "Compaction took %.2f s: %d segment(s) rewritten,"
        + " %,d live records copied, %s given back; the files now take %s for %s of live data.",
        r.durationNanos() / 1e9, r.segmentsCompacted(), r.recordsCopied(), StatsFormat.size(r.bytesReclaimed()),
        StatsFormat.size(after.diskBytes()), StatsFormat.size(after.liveBytes())), WIDTH);
    out.flush();
  }

  /** Writes dataset {@code d}; returns the time it took in nanoseconds. */
  private static long load(Store store, Dataset d, Progress progress) {
    byte[] key = new byte[KEY_SIZE];
    byte[] value = new byte[d.valueSize()];
    new SplittableRandom(d.tag()).nextBytes(value);
    progress.start(String.format(Locale.ROOT, "writing %s records", d.label()), d.count());
    long start = System.nanoTime();
    for (int n = 0; n < d.count(); n++) {
      d.fillKey(key, n);
      putLong(value, n);
      store.put(key, value); // the store copies key and value, so both arrays are reused
      if ((n & 1023) == 0) {
        progress.update(n);
      }
    }
    long nanos = System.nanoTime() - start;
    progress.finish();
    return nanos;
  }

  /**
   * Runs {@code path} over {@code warmUp} for {@link #WARM_UP_NANOS} (so that the JIT has compiled
   * it), then times it over each of the {@code rounds} and takes the median round, which a burst of
   * other work on the machine does not move. Checks every value read.
   *
   * @throws IllegalStateException if a key was missing or a value wrong: an engine bug
   */
  private static Measurement measure(Store store, Dataset d, ReadPath path, Sample warmUp,
      List<Sample> rounds, AllocationMeter meter) {
    long[] result = new long[2]; // sum of the record numbers read, number of keys found missing
    try (Snapshot snapshot = store.snapshot()) {
      long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
      do {
        run(path, store, snapshot, warmUp.keys(), result);
        check(path, d, warmUp, result);
      } while (System.nanoTime() < warmUpEnd);
      double[] nsPerRead = new double[rounds.size()];
      double[] bytesPerRead = new double[rounds.size()];
      for (int r = 0; r < rounds.size(); r++) {
        Sample round = rounds.get(r);
        long allocatedBefore = meter.allocated();
        long start = System.nanoTime();
        run(path, store, snapshot, round.keys(), result);
        long nanos = System.nanoTime() - start;
        bytesPerRead[r] = (double) (meter.allocated() - allocatedBefore) / round.keys().length;
        check(path, d, round, result);
        nsPerRead[r] = (double) nanos / round.keys().length;
      }
      // The median round for both figures: on a busy machine the JIT may still be compiling
      // during the first rounds, which then allocate what compiled code does not.
      Arrays.sort(nsPerRead);
      Arrays.sort(bytesPerRead);
      return new Measurement(d, path, nsPerRead[nsPerRead.length / 2],
          meter.supported() ? bytesPerRead[bytesPerRead.length / 2] : Double.NaN);
    }
  }

  private static void run(ReadPath path, Store store, Snapshot snapshot, byte[][] keys, long[] result) {
    switch (path) {
      case GET -> readCopies(store, keys, result);
      case SNAPSHOT -> readViews(snapshot, keys, result);
      case READ_LONG -> readInPlace(store, keys, result);
      default -> throw new IllegalArgumentException(path.name());
    }
  }

  // One loop per path, so that each is compiled on its own and no call in it is megamorphic.

  private static void readCopies(Store store, byte[][] keys, long[] result) {
    long sum = 0;
    long missing = 0;
    for (byte[] key : keys) {
      byte[] value = store.get(key);
      if (value == null) {
        missing++;
      } else {
        sum += getLong(value);
      }
    }
    result[0] = sum;
    result[1] = missing;
  }

  private static void readViews(Snapshot snapshot, byte[][] keys, long[] result) {
    long sum = 0;
    long missing = 0;
    for (byte[] key : keys) {
      ByteView value = snapshot.get(key);
      if (value == null) {
        missing++;
      } else {
        sum += value.getLong(0);
      }
    }
    result[0] = sum;
    result[1] = missing;
  }

  private static void readInPlace(Store store, byte[][] keys, long[] result) {
    long sum = 0;
    long missing = 0;
    for (byte[] key : keys) {
      long n = store.readLong(key, FIRST_LONG, -1);
      if (n < 0) {
        missing++;
      } else {
        sum += n;
      }
    }
    result[0] = sum;
    result[1] = missing;
  }

  private static void check(ReadPath path, Dataset d, Sample sample, long[] result) {
    if (result[1] != 0 || result[0] != sample.expectedSum()) {
      throw new IllegalStateException(path.call + " read wrong data from the demo store: of "
          + sample.keys().length + " keys of the " + d.label() + " records, " + result[1]
          + " were missing, and the record numbers read add up to " + result[0] + " instead of "
          + sample.expectedSum());
    }
  }

  private static void putLong(byte[] b, long v) {
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /** One decimal below 10, whole numbers with separators above. */
  private static String decimal(double v) {
    return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }
}
