package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.BackgroundTaskStats;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A background task that fails is never silent, and never leaves anyone waiting: its failure shows
 * in {@code stats()}, and where it touches durability the next write fails with it as the cause.
 */
class BackgroundTaskTest {
  @org.junit.jupiter.api.io.TempDir Path tmp;

  /**
   * The store's path in the in-memory storage. Its lock file is real (locks are the operating
   * system's), so the path is a fresh temporary directory: a fixed one such as /store was shared
   * with every other test JVM on the machine.
   */
  @org.junit.jupiter.api.io.TempDir static Path DIR;

  /** Throws an Error (not an IOException) from the first force after {@link #arm}. */
  private static final class ErrorOnForce extends DelegatingStorage {
    volatile boolean armed;

    ErrorOnForce(Storage delegate) {
      super(delegate);
    }

    void arm() {
      armed = true;
    }

    @Override
    public void force(Path file) throws IOException {
      if (armed && file.getFileName().toString().endsWith(".seg")) {
        armed = false;
        throw new InternalError("injected: a fault in a recent unsafe memory access operation");
      }
      super.force(file);
    }
  }

  private static BackgroundTaskStats task(Store s, String name) {
    return s.stats().backgroundTasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void anErrorInsideGroupCommitFailsTheSyncAndLeavesNoWaiterHanging() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    ErrorOnForce storage = new ErrorOnForce(base);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Store s = SettStore.open(storage, DIR, StoreOptions.builder().syncMode(SyncMode.ALWAYS).build())) {
      s.put(b("before"), b("v"));
      storage.arm();
      Future<?>[] writes = new Future<?>[8];
      for (int i = 0; i < writes.length; i++) {
        int n = i;
        writes[i] = pool.submit(() -> {
          try {
            s.put(b("k" + n), b("v"));
          } catch (StorageException expected) {
            // the leader's Error fails its write and every later one: durability is unknown
          }
        });
      }
      for (Future<?> w : writes) {
        w.get(20, TimeUnit.SECONDS); // a hang fails here
      }
      StorageException later = assertThrows(StorageException.class, () -> s.put(b("after"), b("v")));
      assertNotNull(later.getCause(), later.getMessage());
      assertThrows(StorageException.class, s::sync);
    } catch (StorageException closing) {
      // close reports the same failure
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSealerFailureShowsInStatsAndIsTheCauseOfTheNextWritesException() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    ErrorOnForce storage = new ErrorOnForce(base);
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    try (Store s = SettStore.open(storage, DIR, options)) {
      storage.arm();
      StorageException refused = null;
      for (int i = 0; i < 10_000 && refused == null; i++) {
        try {
          s.put(b("k" + i), new byte[500]);
        } catch (StorageException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "writes carried on after the sealer failed to force a segment");
      assertTrue(String.valueOf(refused.getCause()).contains("injected"), String.valueOf(refused.getCause()));
      BackgroundTaskStats sealer = task(s, "sealer");
      assertEquals(1, sealer.failures());
      assertTrue(sealer.lastFailure().contains("injected"), sealer.lastFailure());
    } catch (StorageException closing) {
      // close reports the same failure
    }
  }

  @Test
  void aCompactionFailureOfAnyTypeIsRecordedAndPoisonsWritesWhenItWasAForce() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
    Storage storage = new DelegatingStorage(base) {
      @Override
      public void force(Path file) throws IOException {
        // Not an IOException: the old scheduler caught only some exception types and died silently.
        if (Thread.currentThread().getName().startsWith("sett-compaction") && armed.compareAndSet(true, false)) {
          throw new java.io.UncheckedIOException(new IOException("injected failure of a compaction force"));
        }
        super.force(file);
      }
    };
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).compactionTrigger(0.3, 64 << 10).build();
    try (Store s = SettStore.open(storage, DIR, options)) {
      assertTrue(task(s, "compaction").running());
      armed.set(true);
      for (int i = 0; i < 2_000; i++) {
        s.put(b("k" + (i % 20)), new byte[400]);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (task(s, "compaction").failures() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      BackgroundTaskStats compaction = task(s, "compaction");
      assertEquals(1, compaction.failures(), "the failure was not recorded");
      assertTrue(compaction.lastFailure().contains("injected"), compaction.lastFailure());
      assertTrue(compaction.running(), "compaction stopped for good after a failure it can retry");
      StorageException refused = assertThrows(StorageException.class, () -> s.put(b("x"), b("v")));
      assertTrue(String.valueOf(refused.getCause()).contains("injected"), String.valueOf(refused.getCause()));
    } catch (StorageException closing) {
      // close reports the same failure
    }
  }

  @Test
  void closeWaitsForABlockedReadCallbackWithoutBurningACore() throws Exception {
    Path dir = tmp.resolve("close-wait");
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      Store s = Sett.open(dir);
      s.put(b("k"), b("v"));
      Thread reader = new Thread(() -> s.read(b("k"), v -> {
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return v.size();
      }));
      reader.start();
      inside.await();
      Thread closer = new Thread(s::close);
      closer.start();
      Thread.sleep(200);
      long before = mx.getThreadCpuTime(closer.getId());
      Thread.sleep(1_000);
      long used = mx.getThreadCpuTime(closer.getId()) - before;
      assertTrue(closer.isAlive(), "close returned while a read was still inside the mapping");
      release.countDown();
      closer.join(10_000);
      reader.join(10_000);
      assertTrue(!closer.isAlive(), "close never returned after the callback ended");
      assertTrue(used < 200_000_000L, "close used " + used / 1_000_000 + " ms of CPU in 1 s of waiting");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aStoreThatStopsRollingSegmentsKeepsNoSealerThread() throws Exception {
    long before = Sealer.idleMillis();
    Sealer.idleMillis(50);
    String name = "sett-sealer";
    try (Store s = dev.sett.core.Sett.open(tmp, StoreOptions.builder().segmentSize(64 << 10).build())) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[1_000]); // rolls a few segments: the sealer works
      }
      assertTrue(s.stats().segmentCount() > 2, "the workload did not roll segments");
      boolean gone = false;
      for (int i = 0; i < 200 && !gone; i++) {
        Thread.sleep(20);
        gone = Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(name));
      }
      assertTrue(gone, "an idle store still holds a sealer thread");
      s.put(b("again"), new byte[60_000]);
      s.put(b("again2"), new byte[60_000]); // rolls again: a new thread seals, in order
      s.sync();
      assertEquals(60_000, s.get(b("again")).length);
    } finally {
      Sealer.idleMillis(before);
    }
  }

  @Test
  void manyOpenStoresShareAFewBackgroundThreadsAndEachStillCompacts() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).compactionTrigger(0.3, 64 << 10).build();
    java.util.List<Store> stores = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        stores.add(Sett.open(tmp.resolve("many-" + i), options));
      }
      for (Store s : stores) {
        for (int i = 0; i < 600; i++) {
          s.put(b("k" + (i % 10)), new byte[400]); // overwrites: dead bytes that cross the trigger
        }
      }
      long compactionThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("sett-compact")).count();
      assertTrue(compactionThreads <= CompactionScheduler.WORKERS + 1,
          compactionThreads + " compaction threads for 40 stores");
      long sealerThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("sett-sealer")).count();
      assertTrue(sealerThreads <= Sealer.THREADS, sealerThreads + " sealer threads for 40 stores");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (Store s : stores) {
        while (s.stats().compactionsRun() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(s.stats().compactionsRun() > 0, "a store's background compaction never ran: " + s.directory());
        assertEquals(400, s.get(b("k3")).length);
      }
    } finally {
      for (Store s : stores) {
        s.close();
      }
    }
  }
}
