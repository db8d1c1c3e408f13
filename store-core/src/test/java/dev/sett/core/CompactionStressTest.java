package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers hold zero-copy views across compactions while writers overwrite and compaction runs
 * without pause: no crash, and every view keeps showing exactly the bytes it was created for.
 */
class CompactionStressTest {
  private static final int KEYS = 300;
  private static final long SECONDS = 3;

  @TempDir Path dir;

  private static byte[] value(int key, long version) {
    int n = 24 + (int) (version % 500);
    ByteBuffer v = ByteBuffer.allocate(n);
    v.putInt(key).putLong(version).putInt(n);
    while (v.remaining() >= 8) {
      v.putLong(key * 1_000_003L + version);
    }
    return v.array();
  }

  private static void check(int key, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    assertEquals(key, b.getInt(), "another key's value");
    long version = b.getLong();
    assertArrayEquals(value(key, version), v, "a torn or damaged value");
  }

  @Test
  void viewsSurviveContinuousCompactionUnderOverwrites() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).build();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicLong compactions = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try (Store store = Sett.open(dir, options)) {
      for (int k = 0; k < KEYS; k++) {
        store.put(b("k" + k), value(k, 0));
      }
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        tasks.add(pool.submit(() -> {
          for (long version = 1; !stop.get(); version++) {
            int k = ThreadLocalRandom.current().nextInt(KEYS);
            if (version % 50 == 0) {
              store.delete(b("k" + k));
            }
            store.put(b("k" + k), value(k, version));
          }
          return null;
        }));
      }
      for (int r = 0; r < 2; r++) {
        tasks.add(pool.submit(() -> {
          while (!stop.get()) {
            try (Snapshot snap = store.snapshot()) {
              List<ByteView> held = new ArrayList<>();
              List<byte[]> firstSeen = new ArrayList<>();
              List<Integer> keys = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                int k = ThreadLocalRandom.current().nextInt(KEYS);
                ByteView v = snap.get(b("k" + k));
                if (v != null) {
                  byte[] bytes = v.toByteArray();
                  check(k, bytes);
                  held.add(v);
                  firstSeen.add(bytes);
                  keys.add(k);
                }
                byte[] latest = store.get(b("k" + k));
                if (latest != null) {
                  check(k, latest);
                }
                reads.incrementAndGet();
              }
              Thread.sleep(2);
              for (int i = 0; i < held.size(); i++) {
                assertArrayEquals(firstSeen.get(i), held.get(i).toByteArray(), "a view changed under compaction");
                assertArrayEquals(firstSeen.get(i), snap.get(b("k" + keys.get(i))).toByteArray(),
                    "a snapshot changed under compaction");
              }
            }
          }
          return null;
        }));
      }
      tasks.add(pool.submit(() -> {
        while (!stop.get()) {
          if (store.compact(true).segmentsCompacted() > 0) {
            compactions.incrementAndGet();
          }
        }
        return null;
      }));
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
      stop.set(true);
      for (Future<?> f : tasks) {
        f.get(60, TimeUnit.SECONDS);
      }
      long runs = store.stats().compactionsRun();
      assertTrue(runs >= 5 && compactions.get() > 0, "compactions: " + runs + " (" + compactions.get() + " explicit)");
      assertTrue(reads.get() > 1000, "reads: " + reads.get());
      for (int k = 0; k < KEYS; k++) {
        byte[] v = store.get(b("k" + k));
        if (v != null) {
          check(k, v);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    StoreTestSupport.assertNothingMapped(dir);
  }
}
