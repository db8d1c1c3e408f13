package dev.sett.kafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.test.InternalMockProcessorContext;

/**
 * Issue 12's per-store footprint: {@code N} key-value stores open in one JVM, as an application
 * with one store per partition has them, each initialised the way Kafka Streams does (with a task
 * context), given {@code K} keys (16-byte keys, 100-byte values) and committed with a changelog
 * offset; then the JVM's open files (the class path's jar files left out), memory mappings, threads,
 * heap after GC, resident memory and the disk the stores take, less what the same JVM showed before
 * the first store opened. Sett's
 * stores ({@link SettStores}) against Kafka's RocksDB ones ({@code Stores.persistentKeyValueStore}),
 * each kind in a JVM of its own.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -B -q install -DskipTests}):
 * <pre>
 * ./mvnw -B -q -pl store-kafka test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp store-kafka/target/test-classes:store-kafka/target/classes:$(cat store-kafka/target/cp.txt) \
 *      dev.sett.kafka.StoreFootprint compare 100 1000
 * </pre>
 * {@code compare N K} starts one child JVM per kind ({@code measure KIND N K DIR}) with Sett's JVM
 * flags and prints both; {@link StoreFootprintTest} runs a small {@code measure} so the program
 * cannot rot.
 */
public final class StoreFootprint {
  private StoreFootprint() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("compare")) {
      compare(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 5 && args[0].equals("measure")) {
      measure(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]))
          .forEach((k, v) -> System.out.println(k + " " + v));
    } else {
      System.err.println("usage: StoreFootprint compare N K | measure sett|rocksdb N K DIR");
      System.exit(2);
    }
  }

  private static void compare(int stores, int keys) throws Exception {
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    for (String kind : List.of("sett", "rocksdb")) {
      Path dir = Files.createTempDirectory("footprint-" + kind);
      results.put(kind, ChildJvm.figures(ChildJvm.command("1g", StoreFootprint.class, "measure", kind,
          String.valueOf(stores), String.valueOf(keys), dir.toString())));
      deleteTree(dir);
    }
    System.out.printf("%d stores of %d keys each (16 B keys, 100 B values), one JVM per kind%n", stores, keys);
    System.out.printf("%-22s %14s %14s%n", "figure", "Sett", "RocksDB");
    for (String figure : results.get("sett").keySet()) {
      System.out.printf("%-22s %,14d %,14d%n", figure, Long.parseLong(results.get("sett").get(figure)),
          Long.parseLong(results.get("rocksdb").getOrDefault(figure, "-1")));
    }
  }

  /** Opens {@code stores} stores of {@code kind} under {@code dir}, fills and commits them, and measures. */
  static Map<String, Long> measure(String kind, int stores, int keys, Path dir) throws IOException, InterruptedException {
    Map<String, Long> before = process();
    List<KeyValueStore<Bytes, byte[]>> open = new ArrayList<>();
    byte[] value = new byte[100];
    try {
      for (int s = 0; s < stores; s++) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "footprint");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        Path taskDir = Files.createDirectories(dir.resolve("0_" + s));
        InternalMockProcessorContext<Object, Object> ctx = new InternalMockProcessorContext<>(taskDir.toFile(),
            new StreamsConfig(p));
        KeyValueStore<Bytes, byte[]> store = kind.equals("sett")
            ? SettStores.persistentKeyValueStore("counts").get()
            : Stores.persistentKeyValueStore("counts").get();
        store.init(ctx, store);
        open.add(store);
        for (int k = 0; k < keys; k++) {
          store.put(Bytes.wrap(String.format("key-%012d", k).getBytes(StandardCharsets.US_ASCII)), value);
        }
        store.commit(Map.of(new TopicPartition("footprint-counts-changelog", s), (long) keys));
      }
      Map<String, Long> after = process();
      Map<String, Long> out = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : after.entrySet()) {
        out.put(e.getKey(), e.getValue() - before.get(e.getKey()));
      }
      out.put("disk-kib-allocated", ChildJvm.duKib(dir));
      out.put("disk-bytes-apparent", apparent(dir));
      return out;
    } finally {
      open.forEach(KeyValueStore::close);
    }
  }

  /** The JVM's own figures now. */
  private static Map<String, Long> process() throws IOException {
    System.gc();
    System.gc();
    Map<String, Long> m = new LinkedHashMap<>();
    // Jar files are the class path's, opened as classes load from them (64 of Sett's 168 descriptors
    // in the 2026-12-06 run), not the stores'.
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      m.put("open-files", fds.filter(fd -> !isJar(fd)).count());
    }
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      m.put("mappings", maps.count());
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Threads:")) {
        m.put("threads", Long.parseLong(line.substring(8).trim()));
      } else if (line.startsWith("VmRSS:")) {
        m.put("rss-kib", Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
      }
    }
    m.put("heap-bytes-after-gc", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    return m;
  }

  private static boolean isJar(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().endsWith(".jar");
    } catch (IOException e) {
      return false; // closed meanwhile, or not a link: counted as the store's
    }
  }

  private static long apparent(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }
}
