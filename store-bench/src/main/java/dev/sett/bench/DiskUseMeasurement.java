package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Issue 11's small-store measurement: the disk a store holding one key uses (16-byte key, 100-byte
 * value, default options), while open (a second after a {@code sync()}) and after {@code close()}.
 *
 * <p><b>Allocated, not apparent, size.</b> Java has no portable way to ask for a file's allocated
 * blocks ({@code Files.getAttribute(p, "unix:...")} offers size, inode, mode and times, not
 * blocks), and the sum of file sizes is not allocation: a sparse file is larger than what it
 * allocates, and preallocated or block-rounded files allocate more than they hold. So the figure
 * is {@code du -sk} of the directory (POSIX: kibibytes allocated, every file and the directory
 * itself), times 1,024. The apparent size (sum of {@code Files.size}) and {@code stats().diskBytes()}
 * are reported beside it. Results: class {@code DiskUseMeasurement}, in bytes.
 *
 * <p><b>How to run</b>: {@code java <Sett's flags> -cp store-bench/target/benchmarks.jar
 * dev.sett.bench.DiskUseMeasurement out.json} (needs {@code du} on the PATH).
 */
public final class DiskUseMeasurement {
  static final long SETTLE_MILLIS = 1000;

  private DiskUseMeasurement() {
  }

  /** Argument: output JSON file. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: DiskUseMeasurement OUT_JSON");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("sett-disk-");
    ResultFile results = new ResultFile(DiskUseMeasurement.class);
    try {
      long statsBytes;
      try (Store store = Sett.open(dir, StoreOptions.defaults())) {
        store.put(BenchData.key(1), BenchData.peerValue(1, PeerData.VALUE_SIZE));
        store.sync();
        // A background thread prepares the next segment after the first write: give it the time a
        // running application would, so that the figure does not depend on a race.
        Thread.sleep(SETTLE_MILLIS);
        statsBytes = store.stats().diskBytes();
        figures(results, "open", dir);
      }
      figures(results, "closed", dir);
      results.add("oneKeyStatsDiskBytes", statsBytes, "B", 1);
      System.out.printf("   stats().diskBytes() while open: %,d B%n", statsBytes);
      results.write(Path.of(args[0]));
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  private static void figures(ResultFile results, String when, Path dir) throws IOException, InterruptedException {
    long allocated = allocatedBytes(dir);
    long apparent = apparentBytes(dir);
    String name = Character.toUpperCase(when.charAt(0)) + when.substring(1);
    results.add("oneKeyAllocated" + name, allocated, "B", 1);
    results.add("oneKeyApparent" + name, apparent, "B", 1);
    System.out.printf("   one key, store %s: %,d B allocated (du), %,d B apparent (file sizes)%n",
        when, allocated, apparent);
  }

  /** {@code du -sk dir} in bytes. */
  static long allocatedBytes(Path dir) throws IOException, InterruptedException {
    Process du = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!du.waitFor(30, TimeUnit.SECONDS) || du.exitValue() != 0) {
      throw new IOException("du -sk " + dir + " failed: " + out);
    }
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }

  /** The sum of the sizes of the regular files under {@code dir}. */
  static long apparentBytes(Path dir) throws IOException {
    long sum = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        sum += Files.size(f);
      }
    }
    return sum;
  }
}
