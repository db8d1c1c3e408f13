package dev.sett.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.test.InternalMockProcessorContext;

/**
 * A Kafka Streams task's state work on Sett and on Kafka's RocksDB store, each in a JVM of its own
 * (not a topology run: a broker-free driver that makes the calls a count aggregation makes, so that
 * commits come at a realistic interval, which {@code TopologyTestDriver}, committing after every
 * record, does not do):
 * <ol>
 *   <li><b>count</b>: {@code records} records over {@code keys} distinct keys (uniform), each a
 *       {@code get} and a {@code put} of an 8-byte count through Kafka's metered layer (caching and
 *       logging off, so the store itself is measured), with a commit every 10,000 records:
 *       records/s and the mean get and put latency;</li>
 *   <li><b>restore</b>: a changelog of {@code keys} records restored into an empty store in
 *       batches of 1,000 (Kafka's default {@code max.poll.records}), then committed: seconds;</li>
 *   <li>then heap after GC, resident memory and disk.</li>
 * </ol>
 * Run (after {@code ./mvnw -B -q install -DskipTests}; classpath as for {@link StoreFootprint}):
 * {@code java -cp ... dev.sett.kafka.StoreWorkloadBenchmark compare 1000000 3000000}; the restore
 * alone, repeated into new stores in one JVM of the caller's ({@code -Xms512m -Xmx512m} and the
 * JVM flags for the figures in the README):
 * {@code java ... dev.sett.kafka.StoreWorkloadBenchmark restores sett|rocksdb 1000000 8}.
 */
public final class StoreWorkloadBenchmark {
  private static final TopicPartition CHANGELOG = new TopicPartition("bench-counts-changelog", 0);
  private static final int COMMIT_EVERY = 10_000;

  private StoreWorkloadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("compare")) {
      compare(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 4 && args[0].equals("restores")) {
      restores(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 5 && args[0].equals("run")) {
      run(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]))
          .forEach((k, v) -> System.out.println(k + " " + v));
    } else {
      System.err.println("usage: StoreWorkloadBenchmark compare KEYS RECORDS | run sett|rocksdb KEYS RECORDS DIR"
          + " | restores sett|rocksdb KEYS ROUNDS");
      System.exit(2);
    }
  }

  /**
   * The heap both JVMs get ({@code -Xms} and {@code -Xmx}; {@code -Dsett.bench.heap=512m} to change
   * it). Resident memory depends on it more than on either store: G1 touches as much of a fixed heap
   * as its young generation grows to, which a store that allocates more (Sett's index lives on the
   * heap; RocksDB's memtables and block cache are native) makes larger.
   */
  private static final String HEAP = System.getProperty("sett.bench.heap", "2g");

  private static void compare(int keys, int records) throws Exception {
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    for (String kind : List.of("sett", "rocksdb")) {
      Path dir = Files.createTempDirectory("workload-" + kind);
      Map<String, String> figures = ChildJvm.figures(ChildJvm.command(HEAP, StoreWorkloadBenchmark.class, "run", kind,
          String.valueOf(keys), String.valueOf(records), dir.toString()));
      results.put(kind, figures);
      StoreFootprint.deleteTree(dir);
    }
    System.out.printf("%,d keys, %,d records, commit every %,d records; one JVM per kind, heap %s%n", keys, records,
        COMMIT_EVERY, HEAP);
    System.out.printf("%-24s %14s %14s%n", "figure", "Sett", "RocksDB");
    for (String figure : results.get("sett").keySet()) {
      System.out.printf("%-24s %14s %14s%n", figure, results.get("sett").get(figure),
          results.get("rocksdb").get(figure));
    }
  }

  private static InternalMockProcessorContext<Object, Object> context(Path dir) throws java.io.IOException {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "workload");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    return new InternalMockProcessorContext<>(Files.createDirectories(dir).toFile(), new StreamsConfig(p));
  }

  private static KeyValueBytesStoreSupplier supplier(String kind, String name) {
    return kind.equals("sett") ? SettStores.persistentKeyValueStore(name) : Stores.persistentKeyValueStore(name);
  }

  /** How many distinct keys the count phase draws (the same draws as {@link #run}). */
  static int distinctKeys(int keys, int records) {
    SplittableRandom r = new SplittableRandom(42);
    java.util.BitSet seen = new java.util.BitSet(keys);
    for (int n = 0; n < records; n++) {
      seen.set(r.nextInt(keys));
    }
    return seen.cardinality();
  }

  private static Bytes key(int i) {
    return Bytes.wrap(String.format("key-%09d", i).getBytes(StandardCharsets.US_ASCII));
  }

  static Map<String, String> run(String kind, int keys, int records, Path dir) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    // Count: get + put per record through the metered layer.
    InternalMockProcessorContext<Object, Object> ctx = context(dir.resolve("count"));
    KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(supplier(kind, "counts"),
        new org.apache.kafka.common.serialization.Serdes.BytesSerde(),
        new org.apache.kafka.common.serialization.Serdes.ByteArraySerde())
        .withCachingDisabled().withLoggingDisabled().build();
    store.init(ctx, store);
    SplittableRandom r = new SplittableRandom(42);
    Bytes[] keySet = new Bytes[keys];
    for (int i = 0; i < keys; i++) {
      keySet[i] = key(i);
    }
    long getNanos = 0;
    long putNanos = 0;
    long start = System.nanoTime();
    for (int n = 0; n < records; n++) {
      Bytes k = keySet[r.nextInt(keys)];
      long t0 = System.nanoTime();
      byte[] old = store.get(k);
      long t1 = System.nanoTime();
      long count = old == null ? 1 : ByteBuffer.wrap(old).getLong() + 1;
      store.put(k, ByteBuffer.allocate(8).putLong(count).array());
      long t2 = System.nanoTime();
      getNanos += t1 - t0;
      putNanos += t2 - t1;
      if ((n + 1) % COMMIT_EVERY == 0) {
        ((StateStore) store).commit(Map.of(CHANGELOG, (long) n));
      }
    }
    ((StateStore) store).commit(Map.of(CHANGELOG, (long) records));
    double seconds = (System.nanoTime() - start) / 1e9;
    out.put("count-records/s", String.format("%,.0f", records / seconds));
    out.put("get-ns-mean", String.format("%,.0f", getNanos / (double) records));
    out.put("put-ns-mean", String.format("%,.0f", putNanos / (double) records));
    out.put("live-keys", String.valueOf(store.approximateNumEntries()));
    store.close();

    // Restore: a changelog of one record per key, in batches of 1,000.
    KeyValueStore<Bytes, byte[]> restored = restore(kind, keySet, dir.resolve("restore"), out);
    ChildJvm.addMemoryFigures(out);
    out.put("disk-mib-allocated", String.format("%.0f", ChildJvm.duKib(dir) / 1024.0));
    restored.close();
    return out;
  }

  /**
   * Restores a changelog of one record per key of {@code keySet} (100-byte values) into a new store
   * under {@code dir}, in batches of 1,000, then commits; puts restore-seconds,
   * restore-thread-cpu-seconds and restore-commit-seconds into {@code out}. Returns the store, open.
   */
  private static KeyValueStore<Bytes, byte[]> restore(String kind, Bytes[] keySet, Path dir, Map<String, String> out)
      throws Exception {
    InternalMockProcessorContext<Object, Object> rctx = context(dir);
    KeyValueStore<Bytes, byte[]> restored = supplier(kind, "restored").get();
    restored.init(rctx, restored);
    byte[] value = new byte[100];
    List<KeyValue<byte[], byte[]>> batch = new ArrayList<>(1_000);
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long rsCpu = threads.getCurrentThreadCpuTime();
    long rs = System.nanoTime();
    for (Bytes key : keySet) {
      batch.add(KeyValue.pair(key.get(), value));
      if (batch.size() == 1_000) {
        rctx.restore("restored", batch);
        batch.clear();
      }
    }
    rctx.restore("restored", batch);
    long rc = System.nanoTime();
    restored.commit(Map.of(CHANGELOG, (long) keySet.length));
    long re = System.nanoTime();
    out.put("restore-seconds", String.format("%.2f", (re - rs) / 1e9));
    // CPU of the restoring thread: the rest of restore-seconds went to waiting (collections, the
    // other threads on the cores, segment files not prepared in time).
    out.put("restore-thread-cpu-seconds", String.format("%.2f", (threads.getCurrentThreadCpuTime() - rsCpu) / 1e9));
    out.put("restore-commit-seconds", String.format("%.2f", (re - rc) / 1e9));
    return restored;
  }

  /**
   * {@code rounds} restores of a {@code keys}-record changelog, each into a new store, one after
   * another in this JVM: the first shows a cold JVM (as a Kafka Streams instance restoring at start
   * up), the later ones the store's own cost once the JIT and the heap are warm.
   */
  private static void restores(String kind, int keys, int rounds) throws Exception {
    Bytes[] keySet = new Bytes[keys];
    for (int i = 0; i < keys; i++) {
      keySet[i] = key(i);
    }
    for (int round = 0; round < rounds; round++) {
      Path dir = Files.createTempDirectory("restores-" + kind);
      Map<String, String> out = new LinkedHashMap<>();
      restore(kind, keySet, dir, out).close();
      System.out.printf("%s restore %d: %s s, restoring thread's CPU %s s%n", kind, round, out.get("restore-seconds"),
          out.get("restore-thread-cpu-seconds"));
      StoreFootprint.deleteTree(dir);
    }
  }
}
