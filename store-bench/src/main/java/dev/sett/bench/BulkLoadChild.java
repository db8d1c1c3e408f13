package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import dev.sett.core.Sett;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The first JVM of {@link BigStoreMeasurement}: loads {@code keys} records into a new store in
 * {@link WriteBatch}es of {@value #BATCH} under {@link SyncMode#NONE}, in a random key order, then
 * reports on standard output and waits to be killed (the parent kills it with SIGKILL, so the
 * store is left as a crash leaves it: never closed, no closing hint).
 *
 * <p>Output lines: {@code loadNanos} (from the first put into a batch to the return of the last
 * {@code write}), {@code heapBytes} (heap used after a full GC, less what was used before the store
 * was opened: what the store holds in memory, mostly its indexes), {@code indexBytes} (what
 * {@code stats().indexBytes()} says), then {@code READY}.
 *
 * <p>Record {@code i}: key {@link BenchData#key key(i)}, a 100-byte value whose first long is
 * {@code i} (the rest fixed random bytes). Key and value arrays are reused; the batch copies them,
 * which is part of what a put costs here, as it is for a user.
 */
public final class BulkLoadChild {
  static final int BATCH = 1000;
  static final int VALUE_SIZE = 100;

  private BulkLoadChild() {
  }

  /** Arguments: store directory, number of keys. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int keys = Integer.parseInt(args[1]);
    int[] order = shuffledKeyNumbers(keys, new SplittableRandom(0x10AD));
    long baseline = heapUsedAfterGc();

    Store store = Sett.open(dir, StoreOptions.builder().syncMode(SyncMode.NONE).build());
    byte[] key = new byte[BenchData.KEY_SIZE];
    byte[] value = new byte[VALUE_SIZE];
    BenchData.fill(new SplittableRandom(5), value);
    WriteBatch batch = new WriteBatch();
    long start = System.nanoTime();
    for (int n = 0; n < keys; n++) {
      int i = order[n];
      BenchData.writeKey(i, key);
      putLong(value, i);
      batch.put(key, value);
      if (batch.size() == BATCH || n == keys - 1) {
        store.write(batch);
        batch.clear();
      }
    }
    long loadNanos = System.nanoTime() - start;
    if (store.stats().liveKeys() != keys) {
      throw new IllegalStateException("loaded " + keys + " keys but the store holds " + store.stats().liveKeys());
    }
    long indexBytes = store.stats().indexBytes();
    long heapBytes = heapUsedAfterGc() - baseline;
    System.out.println("loadNanos " + loadNanos);
    System.out.println("heapBytes " + heapBytes);
    System.out.println("indexBytes " + indexBytes);
    System.out.println("READY 1");
    System.out.flush();
    // Wait for the kill; the store stays open (reachable) until then. Ends early only if the
    // parent went away (standard input closed), and then still without closing the store.
    while (System.in.read() >= 0) {
      // nothing to read: the parent writes nothing
    }
    System.out.println("unclosed " + store.directory());
    Runtime.getRuntime().halt(0);
  }

  /** Writes {@code i} as the value's first big-endian long. */
  static void putLong(byte[] value, long i) {
    for (int b = 0; b < Long.BYTES; b++) {
      value[b] = (byte) (i >>> (56 - 8 * b));
    }
  }

  static int[] shuffledKeyNumbers(int n, SplittableRandom random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** Heap in use after two full collections (G1 runs a full GC on {@code System.gc()}). */
  static long heapUsedAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
