package dev.sett.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Issue 11's measurements of a big store, each in its own fresh JVM ({@link ChildJvm}: the same
 * {@code java} and class path), not JMH: what matters is one cold event, not a steady state.
 * <ol>
 *   <li><b>bulk load</b> ({@link BulkLoadChild}): {@code keys} records (16-byte keys, 100-byte
 *       values, random key order) in batches of 1,000 under {@code SyncMode.NONE}: µs per put;
 *       then the <b>index memory</b>: heap used after a full GC, per key, and what
 *       {@code stats().indexBytes()} says, per key. That JVM is then killed with SIGKILL: a crash
 *       after writes (the segment being written has no hint; sealed segments have theirs if the
 *       background sealer wrote them before the kill: Sett's recovery loads hints and scans the
 *       rest).</li>
 *   <li><b>open after the crash</b> ({@link FirstGetChild}): seconds from starting a fresh JVM to
 *       its first successful {@code get}, timed by this process (JVM start-up included, as a user
 *       sees it) and inside the child (open and read only). The child then closes the store
 *       cleanly.</li>
 *   <li><b>open after a clean close</b>: the same, on the store the previous child closed.</li>
 * </ol>
 * Results go to a JMH-shaped JSON file ({@link ResultFile}), class {@code BigStoreMeasurement},
 * parameter {@code keys}. The store lives in a temporary directory, deleted at the end.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests};
 * the run script passes the same flags):
 * <pre>
 * java --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *      --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED \
 *      -cp store-bench/target/benchmarks.jar dev.sett.bench.BigStoreMeasurement out.json 10000000
 * </pre>
 * At 10M keys the store takes about 1.5 GB of disk (page cache) and the children up to
 * {@value #CHILD_HEAP} of heap.
 */
public final class BigStoreMeasurement {
  static final String CHILD_HEAP = "4g";

  private BigStoreMeasurement() {
  }

  /** Arguments: output JSON file, number of keys. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BigStoreMeasurement OUT_JSON KEYS");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int keys = Integer.parseInt(args[1]);
    String k = String.valueOf(keys);
    Path dir = Files.createTempDirectory("sett-bigstore-");
    ResultFile results = new ResultFile(BigStoreMeasurement.class);
    try {
      System.out.printf("== bulk load of %,d keys in batches of %,d, then SIGKILL%n", keys, BulkLoadChild.BATCH);
      try (ChildJvm load = new ChildJvm(CHILD_HEAP, BulkLoadChild.class, dir.toString(), k)) {
        double loadNanos = Double.parseDouble(load.await("loadNanos"));
        double heapBytes = Double.parseDouble(load.await("heapBytes"));
        double indexBytes = Double.parseDouble(load.await("indexBytes"));
        load.await("READY");
        load.kill();
        results.add("bulkLoad", loadNanos / 1e3 / keys, "us/op", 1, "keys", k,
            "batch", String.valueOf(BulkLoadChild.BATCH));
        results.add("indexHeapPerKey", heapBytes / keys, "B/key", 1, "keys", k);
        results.add("indexBytesPerKey", indexBytes / keys, "B/key", 1, "keys", k);
        System.out.printf("   %.3f µs/put, %.1f B/key of heap after GC, stats().indexBytes() %.1f B/key%n",
            loadNanos / 1e3 / keys, heapBytes / keys, indexBytes / keys);
      }
      System.out.println("   left by the kill: " + filesByKind(dir));
      long probe = keys / 2;
      openToFirstGet("crashOpen", dir, probe, results, k);
      System.out.println("   after the clean close: " + filesByKind(dir));
      openToFirstGet("cleanOpen", dir, probe, results, k);
      results.write(out);
      System.out.println("== wrote " + out);
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  /** One fresh JVM opening {@code dir} to its first get; adds {@code <name>ToFirstGet} and {@code <name>InJvm}. */
  private static void openToFirstGet(String name, Path dir, long probe, ResultFile results, String keys)
      throws IOException, InterruptedException {
    System.out.println("== " + name + ": a fresh JVM to its first get");
    long start = System.nanoTime();
    try (ChildJvm child = new ChildJvm(CHILD_HEAP, FirstGetChild.class, dir.toString(), String.valueOf(probe))) {
      double inJvm = Double.parseDouble(child.await("FIRST_GET")) / 1e9;
      double total = (System.nanoTime() - start) / 1e9;
      double close = Double.parseDouble(child.await("CLOSED")) / 1e9;
      child.awaitExit();
      results.add(name + "ToFirstGet", total, "s/op", 1, "keys", keys);
      results.add(name + "InJvm", inJvm, "s/op", 1, "keys", keys);
      System.out.printf("   %.3f s from JVM start to the first get (%.3f s of it opening and reading); close %.3f s%n",
          total, inJvm, close);
    }
  }

  /** The directory's files counted by extension, e.g. {@code {hint=3, seg=4}}. */
  static Map<String, Integer> filesByKind(Path dir) throws IOException {
    Map<String, Integer> kinds = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        kinds.merge(dot < 0 ? "(no extension)" : name.substring(dot + 1), 1, Integer::sum);
      });
    }
    return kinds;
  }
}
