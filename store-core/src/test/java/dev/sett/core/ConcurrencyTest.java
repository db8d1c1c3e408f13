package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  private static final int KEYS = 200;

  @TempDir Path dir;

  /** A value that names its key and version, so a reader can tell a torn or foreign value. */
  private static byte[] value(int key, long version) {
    ByteBuffer v = ByteBuffer.allocate(16 + (int) (version % 300));
    v.putInt(key).putLong(version).putInt(~key);
    return v.array();
  }

  private static void checkValue(int key, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    assertEquals(key, b.getInt(), "a reader saw another key's value");
    long version = b.getLong();
    assertEquals(~key, b.getInt());
    assertEquals(16 + (int) (version % 300), v.length, "a reader saw a torn value");
  }

  @Test
  void readersNeverSeeTornForeignOrInconsistentValuesWhileAWriterRuns() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).build();
    try (Store store = Sett.open(dir, options)) {
      for (int k = 0; k < KEYS; k++) {
        store.put(b("key" + k), value(k, 0));
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      futures.add(pool.submit(() -> {
        long version = 1;
        while (!stop.get()) {
          int k = ThreadLocalRandom.current().nextInt(KEYS);
          if (version % 7 == 0) {
            // Both keys of a batch always carry the same version: snapshots check that.
            store.write(new WriteBatch().put(b("pair-a"), value(1, version)).put(b("pair-b"), value(1, version)));
          } else {
            store.put(b("key" + k), value(k, version));
          }
          version++;
        }
        return null;
      }));
      for (int r = 0; r < 3; r++) {
        int mode = r;
        futures.add(pool.submit(() -> {
          while (!stop.get()) {
            int k = ThreadLocalRandom.current().nextInt(KEYS);
            byte[] key = b("key" + k);
            if (mode == 0) {
              checkValue(k, store.get(key));
            } else if (mode == 1) {
              checkValue(k, store.read(key, ByteView::toByteArray));
            } else {
              try (Snapshot s = store.snapshot()) {
                checkValue(k, s.get(key).toByteArray());
                ByteView a = s.get(b("pair-a"));
                ByteView bv = s.get(b("pair-b"));
                if (a != null || bv != null) {
                  assertArrayEquals(a.toByteArray(), bv.toByteArray(), "a snapshot saw half a batch");
                }
              }
            }
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      Thread.sleep(2000);
      stop.set(true);
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(reads.get() > 1000, "readers made progress: " + reads.get());
      var segments = store.stats().segments();
      assertTrue(segments.get(segments.size() - 1).id() > 2, "the writer rolled segments under the readers");
      try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeyRange.prefix(b("key")))) {
        int n = 0;
        while (c.next()) {
          n++;
        }
        assertEquals(KEYS, n);
      }
    }
  }

  /** Counts forces, to see concurrent writers share them. */
  private static final class CountingStorage extends DelegatingStorage {
    final AtomicInteger forces = new AtomicInteger();

    CountingStorage() {
      super(FileStorage.INSTANCE);
    }

    @Override
    public void force(Path file) throws IOException {
      forces.incrementAndGet();
      super.force(file);
    }
  }

  @Test
  void concurrentSyncWritersShareForces() throws Exception {
    CountingStorage storage = new CountingStorage();
    int threads = 4;
    int perThread = 40;
    try (Store store = SettStore.open(storage, dir, StoreOptions.builder().syncMode(SyncMode.ALWAYS).build())) {
      int before = storage.forces.get();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            store.put(b(id + "-" + i), b("v"));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      int forces = storage.forces.get() - before;
      assertTrue(forces < threads * perThread, forces + " forces for " + threads * perThread + " writes");
      assertTrue(forces > 0);
      assertEquals(threads * perThread, store.stats().liveKeys());
    }
  }

  /**
   * Close releases the index while other threads may still be inside a read, a scan or a
   * compaction: each must end in StoreClosedException, never in a wrong miss (a get of a key that
   * exists returning null, a scan short of keys) and never in a compaction that, finding every
   * record dead in the released index, deletes live data.
   */
  @Test
  void closingWhileOthersReadWriteScanAndCompactOnlyEverRaisesStoreClosed() throws Exception {
    int modes = 6;
    for (int round = 0; round < 5; round++) {
      Store store = Sett.open(dir, StoreOptions.builder().segmentSize(64 << 10).build());
      for (int k = 0; k < KEYS; k++) {
        store.put(b("key" + k), value(k, 0));
      }
      ExecutorService pool = Executors.newFixedThreadPool(modes);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < modes; t++) {
        int mode = t;
        futures.add(pool.submit(() -> {
          try {
            for (long i = 1;; i++) {
              int k = (int) (i % KEYS);
              if (mode == 0) {
                store.put(b("key" + k), value(k, i));
              } else if (mode == 1) {
                checkValue(k, store.get(b("key" + k)));
              } else if (mode == 2) {
                try (Snapshot s = store.snapshot()) {
                  checkValue(k, s.get(b("key" + k)).toByteArray());
                }
              } else if (mode == 3) {
                assertTrue(store.contains(b("key" + k)), "key" + k + " missing");
              } else if (mode == 4) {
                int seen = 0;
                try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeyRange.all())) {
                  while (c.next()) {
                    seen++;
                  }
                }
                assertEquals(KEYS, seen, "a scan racing close came up short");
              } else {
                store.compact(true);
              }
            }
          } catch (dev.sett.api.StoreClosedException expected) {
            return null;
          }
        }));
      }
      Thread.sleep(100);
      store.close();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      StoreTestSupport.assertNothingMapped(dir);
      try (Store reopened = Sett.open(dir, StoreOptions.defaults())) {
        for (int k = 0; k < KEYS; k++) {
          byte[] v = reopened.get(b("key" + k));
          assertTrue(v != null, "key" + k + " lost after a compaction raced close");
          checkValue(k, v);
        }
      }
    }
  }
}
