package dev.sett.core;

import dev.sett.api.StorageException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the memory mappings Sett holds in this JVM, and refuses a new one, with a clear
 * {@link StorageException}, before the process reaches the kernel's limit.
 *
 * <p>Why: Linux allows a process {@code vm.max_map_count} mappings (65,530 by default). Past it,
 * the JVM's own next mapping (a thread stack, a heap region, code cache) fails and the JVM aborts
 * ({@code os::commit_memory ... errno=12}), taking the application with it; a store of many small
 * segments got there. Every segment holds one mapping (Chronicle Bytes), plus a second, read-only
 * JDK mapping once a snapshot view or {@code asByteBuffer} has used it; that one is released by the
 * garbage collector, so its count drops only when the collector has run ({@link #trackViewMapping}).
 *
 * <p>The process's real count (all mappings, not only Sett's) is read from {@code /proc/self/maps}
 * when Sett's own count has grown by {@value #RECOUNT_EVERY} since the last reading, or is near the
 * limit; between readings Sett's changes are added to the last reading. A reserve of 5% of the limit
 * (at least 1,000) is left for the JVM and the application. Where {@code /proc} is missing (not
 * Linux) nothing is checked.
 *
 * <p>Thread-safe; one per JVM (per class loader that loads Sett).
 */
final class MappingCensus {
  private static final int RECOUNT_EVERY = 1024;
  private static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, "sett-mapping-census");
    t.setDaemon(true);
    return t;
  });

  private static final AtomicInteger SETT_MAPPINGS = new AtomicInteger();
  private static volatile int limit = readLimit();
  private static int countedProcess = -1;
  private static int settAtCount;

  private MappingCensus() {
  }

  private static int readLimit() {
    // Read by line: Files.readString trusts the size a /proc file reports (0) and returned "6" for
    // "65530" on JDK 17.
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/vm/max_map_count"))) {
      return Integer.parseInt(String.valueOf(r.readLine()).trim());
    } catch (IOException | RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** Tests only: pretends the kernel's limit is {@code max} (Integer.MAX_VALUE: the real one). */
  static void limitForTests(int max) {
    limit = max == Integer.MAX_VALUE ? readLimit() : max;
    synchronized (MappingCensus.class) {
      countedProcess = -1;
    }
  }

  /** Mappings Sett holds now in this JVM. */
  static int settMappings() {
    return SETT_MAPPINGS.get();
  }

  /**
   * Reserves one mapping of {@code file}, or throws if the process is too close to the limit.
   * Pair with {@link #released()}.
   */
  static void reserve(Path file) {
    int max = limit;
    if (max == Integer.MAX_VALUE) {
      SETT_MAPPINGS.incrementAndGet();
      return;
    }
    int reserve = Math.max(1_000, max / 20);
    synchronized (MappingCensus.class) {
      int sett = SETT_MAPPINGS.get();
      int estimate = countedProcess < 0 ? -1 : countedProcess + (sett - settAtCount);
      if (estimate < 0 || sett - settAtCount >= RECOUNT_EVERY || estimate + 1 > max - reserve - RECOUNT_EVERY) {
        countedProcess = processMappings();
        settAtCount = sett;
        estimate = countedProcess;
      }
      if (estimate + 1 > max - reserve) {
        throw new StorageException("cannot map " + file + ": the process already holds " + estimate
            + " memory mappings (" + sett + " of them Sett's) and the kernel allows " + max
            + " (vm.max_map_count), less a reserve of " + reserve + " for the JVM itself, which aborts when"
            + " it cannot map memory. Use a larger segmentSize, compact the store, close snapshots and"
            + " stores you no longer need, or raise the limit (sysctl -w vm.max_map_count=262144)", null, false);
      }
      SETT_MAPPINGS.incrementAndGet();
    }
  }

  /** A mapping reserved with {@link #reserve} was unmapped (or failed to map). */
  static void released() {
    SETT_MAPPINGS.decrementAndGet();
  }

  /**
   * {@code buffer}, a JDK mapping reserved with {@link #reserve}, is unmapped only when the garbage
   * collector finds it unreachable: count it until then. {@code onCollected} runs then too.
   */
  static void trackViewMapping(ByteBuffer buffer, Runnable onCollected) {
    CLEANER.register(buffer, () -> {
      released();
      onCollected.run();
    });
  }

  private static int processMappings() {
    try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return (int) lines.count();
    } catch (IOException | RuntimeException e) {
      return SETT_MAPPINGS.get();
    }
  }
}
