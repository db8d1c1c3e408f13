package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import dev.sett.core.Sett;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 13's refresh cost: what {@code Store.refresh()} of a read-only handle beside a writer
 * costs after the writer appended a little, against after its compaction retired segments (the
 * handle then opens a new generation, which reads the hints again). A store of {@code keys} peer
 * records (16-byte keys, 100-byte values, written in a scattered order in batches of 1,000,
 * compaction manual); then, {@value #ROUNDS} times: 1,000 new records and a timed refresh; an
 * overwrite of 2% of the keys, {@code compact(true)}, 1,000 new records and a timed refresh. Each
 * refresh is checked to see the last record written before it. Results: class
 * {@code RefreshMeasurement}, the median of the rounds, in milliseconds.
 *
 * <p><b>How to run</b>: {@code java <Sett's flags> -Xmx2g -cp store-bench/target/benchmarks.jar
 * dev.sett.bench.RefreshMeasurement out.json [keys]} (default 1,000,000).
 */
public final class RefreshMeasurement {
  static final int ROUNDS = 5;
  private static final int APPENDED = 1_000;

  private RefreshMeasurement() {
  }

  /** Arguments: output JSON file, and optionally the number of keys. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: RefreshMeasurement OUT_JSON [KEYS]");
      System.exit(2);
    }
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path dir = Files.createTempDirectory("sett-refresh-");
    ResultFile results = new ResultFile(RefreshMeasurement.class);
    try (Store writer = Sett.open(dir, StoreOptions.builder().autoCompaction(false).build())) {
      WriteBatch batch = new WriteBatch();
      for (long i = 0; i < keys; i++) {
        long k = (i * 7919) % keys;
        batch.put(BenchData.key(k), BenchData.peerValue((int) k, PeerData.VALUE_SIZE));
        if (batch.size() == PeerData.LOAD_BATCH) {
          writer.write(batch);
          batch.clear();
        }
      }
      writer.write(batch);
      batch.clear();
      double[] appended = new double[ROUNDS];
      double[] compacted = new double[ROUNDS];
      long next = keys;
      try (Store reader = Sett.open(dir, StoreOptions.builder().readOnly(true).build())) {
        for (int round = 0; round < ROUNDS; round++) {
          next = append(writer, next);
          appended[round] = timedRefresh(reader, next - 1);
          for (long k = 0; k < keys / 50; k++) {
            batch.put(BenchData.key(k), BenchData.peerValue((int) k + round, PeerData.VALUE_SIZE));
            if (batch.size() == PeerData.LOAD_BATCH) {
              writer.write(batch);
              batch.clear();
            }
          }
          writer.write(batch);
          batch.clear();
          writer.compact(true);
          next = append(writer, next);
          compacted[round] = timedRefresh(reader, next - 1);
          System.out.printf("round %d: refresh after %,d appended records %.1f ms; after a compaction %.1f ms%n",
              round, APPENDED, appended[round], compacted[round]);
        }
      }
      results.add("afterAppendMillis", median(appended), "ms", ROUNDS);
      results.add("afterCompactionMillis", median(compacted), "ms", ROUNDS);
      results.write(Path.of(args[0]));
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  private static long append(Store writer, long from) {
    WriteBatch batch = new WriteBatch();
    for (long k = from; k < from + APPENDED; k++) {
      batch.put(BenchData.key(k), BenchData.peerValue((int) k, PeerData.VALUE_SIZE));
    }
    writer.write(batch);
    return from + APPENDED;
  }

  private static double timedRefresh(Store reader, long lastKey) {
    long start = System.nanoTime();
    reader.refresh();
    double millis = (System.nanoTime() - start) / 1e6;
    if (reader.get(BenchData.key(lastKey)) == null) {
      throw new IllegalStateException("the refresh did not bring the handle up to the writer");
    }
    return millis;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
