package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit with a fake, slow disk: writers append by taking the next sequence number, and a
 * sync "forces" everything appended when it starts, taking {@value #SYNC_MILLIS} ms. What a store
 * promises under {@code SyncMode.ALWAYS} is checked on every acknowledgement (the write was covered
 * by a sync that started after it was appended and had finished), and what it costs is counted:
 * concurrent writers must share syncs.
 */
class GroupCommitTest {
  private static final int SYNC_MILLIS = 2;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "a writer hung");
  }

  /** The fake disk: what was appended, what a finished sync covered, how many syncs ran. */
  private static final class SlowDisk implements GroupCommit.Syncer {
    final AtomicLong appended = new AtomicLong();
    final AtomicLong durable = new AtomicLong();
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    volatile int failOnSync = -1;

    @Override
    public long syncAll() throws IOException {
      int n = syncs.incrementAndGet();
      assertEquals(1, concurrent.incrementAndGet(), "two syncs ran at once");
      try {
        long target = appended.get();
        Thread.sleep(SYNC_MILLIS);
        if (n == failOnSync) {
          throw new IOException("injected: the disk failed");
        }
        durable.accumulateAndGet(target, Math::max);
        return target;
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        concurrent.decrementAndGet();
      }
    }
  }

  /** Runs {@code threads} writers of {@code writesEach} acknowledged writes each; returns failures. */
  private List<Throwable> write(GroupCommit commit, SlowDisk disk, int threads, int writesEach) throws Exception {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      writers.add(pool.submit(() -> {
        for (int i = 0; i < writesEach; i++) {
          long seq = disk.appended.incrementAndGet();
          try {
            commit.awaitDurable(seq);
          } catch (IOException e) {
            failures.add(e);
            return;
          }
          long durable = disk.durable.get();
          if (durable < seq) {
            failures.add(new AssertionError("write " + seq + " was acknowledged with only " + durable + " synced"));
            return;
          }
        }
      }));
    }
    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    return failures;
  }

  @Test
  void twoWritersShareMostSyncs() throws Exception {
    SlowDisk disk = new SlowDisk();
    GroupCommit commit = new GroupCommit(disk, 0, "test");
    int writes = 2 * 150;
    assertEquals(List.of(), write(commit, disk, 2, writes / 2));
    // One sync per write is what a leader covering only writes made before it started gives when
    // the two writers fall into step (each appends while the other's sync runs); sharing halves it.
    assertTrue(disk.syncs.get() <= writes * 0.65, disk.syncs.get() + " syncs for " + writes + " writes");
  }

  @Test
  void eightWritersCostAboutOneSyncPerRound() throws Exception {
    SlowDisk disk = new SlowDisk();
    GroupCommit commit = new GroupCommit(disk, 0, "test");
    int writes = 8 * 60;
    assertEquals(List.of(), write(commit, disk, 8, writes / 8));
    assertTrue(disk.syncs.get() <= writes / 5, disk.syncs.get() + " syncs for " + writes + " writes");
  }

  @Test
  void aLoneWriterNeverWaitsForCompany() throws Exception {
    SlowDisk disk = new SlowDisk();
    GroupCommit commit = new GroupCommit(disk, 0, "test");
    assertEquals(List.of(), write(commit, disk, 1, 100));
    assertEquals(100, disk.syncs.get());
    assertEquals(0, commit.gatherTimeouts(), "a leader waited for writers that were not coming");
  }

  @Test
  void aWriteAlreadyCoveredReturnsWithoutASync() throws Exception {
    SlowDisk disk = new SlowDisk();
    GroupCommit commit = new GroupCommit(disk, 10, "test");
    commit.awaitDurable(7);
    assertEquals(0, disk.syncs.get());
  }

  @Test
  void aFailedSyncFailsEveryWaiterAndEveryLaterWrite() throws Exception {
    SlowDisk disk = new SlowDisk();
    disk.failOnSync = 5;
    GroupCommit commit = new GroupCommit(disk, 0, "test");
    List<Throwable> failures = write(commit, disk, 8, 50);
    assertEquals(8, failures.size(), "every writer must see the failure: " + failures);
    for (Throwable f : failures) {
      assertTrue(f instanceof IOException, String.valueOf(f));
    }
    int syncs = disk.syncs.get();
    IOException later = assertThrows(IOException.class, () -> commit.awaitDurable(disk.appended.incrementAndGet()));
    assertTrue(String.valueOf(later.getCause()).contains("injected"), String.valueOf(later.getCause()));
    assertEquals(syncs, disk.syncs.get(), "a sync was tried after one failed");
  }
}
