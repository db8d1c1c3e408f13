package dev.sett.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmaps segments (and deletes the files of retired ones) only once no read can still be inside
 * their mapping, without ever making the thread that let go of a segment wait.
 *
 * <p>Why: every read of the store's mappings (plain reads, snapshot lookups, cursor steps) runs
 * inside a {@link ReadEpochs read epoch}. A segment whose last reference went (compaction retired
 * it, a snapshot that pinned it closed, the store closed) may still be in use by a read that found
 * it a moment earlier, on another thread; unmapping it then would crash the JVM. So each such
 * segment waits here, tagged with a new epoch, until every reader that entered before that epoch
 * has left. Readers that enter later cannot reach it: it is out of the segment table, or the
 * snapshot that pinned it is already marked closed, and both are checked after entering.
 *
 * <p>Pending work is retried on one daemon thread shared by every store of the JVM, with a backoff
 * from 1 ms to 100 ms, and finished synchronously by {@link #drain()} when the store closes.
 *
 * <p>Thread-safe.
 */
final class DeferredUnmaps {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredUnmaps.class);
  private static final long FIRST_RETRY_NANOS = 1_000_000;
  private static final long LAST_RETRY_NANOS = 100_000_000;

  private record Pending(long epoch, long bytes, Runnable action) {
  }

  private final ReadEpochs epochs;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean retryScheduled;
  /**
   * Actions taken out of {@link #pending} and still running on some thread. {@link #drain()} waits
   * for them too: the retry thread may be deleting a retired segment's file while the store closes,
   * and a reopen that listed the file would then find it gone.
   */
  private int running;
  private long retryNanos = FIRST_RETRY_NANOS;
  /** Bytes of unmapped segments whose JDK view mappings only the collector can release. */
  private final AtomicLong viewBytes = new AtomicLong();
  private final long viewBudget;
  private volatile long heldAtLastGc = -1;
  /** Counts segments unmapped with view bytes counted; a GC after a new one is worth asking for. */
  private final AtomicLong viewReleases = new AtomicLong();
  private volatile long viewReleasesAtLastGc = -1;
  private final AtomicBoolean gcCheckScheduled = new AtomicBoolean();

  /**
   * @param viewBudget bytes of unmapped segments that views' read-only mappings may hold before the
   *     collector is asked to release them ({@link #releaseViewMappingsIfOverBudget})
   */
  DeferredUnmaps(ReadEpochs epochs, long viewBudget) {
    this.epochs = epochs;
    this.viewBudget = viewBudget;
  }

  /**
   * Runs {@code action} (an unmap of {@code bytes}, and the file's deletion) once no current reader
   * can reach it.
   */
  void defer(long bytes, Runnable action) {
    long epoch = epochs.advance();
    synchronized (this) {
      pending.add(new Pending(epoch, bytes, action));
    }
    runReady();
  }

  /**
   * Bytes of unmapped segments whose read-only view mappings users' views may still hold; the
   * garbage collector releases them (see {@link ChronicleRegion}).
   */
  AtomicLong viewBytes() {
    return viewBytes;
  }

  /**
   * A segment whose view mapping was counted in {@link #viewBytes()} has just dropped its own
   * reference to it: a collection may now free it, even if the last one freed nothing.
   */
  void viewMappingReleased() {
    viewReleases.incrementAndGet();
  }

  /** Bytes of mappings waiting for readers to leave. */
  synchronized long retainedBytes() {
    long sum = 0;
    for (Pending p : pending) {
      sum += p.bytes;
    }
    return sum;
  }

  /** Runs whatever no reader holds up any more; schedules a retry for the rest. Never waits. */
  void runReady() {
    List<Runnable> ready = new ArrayList<>();
    synchronized (this) {
      while (!pending.isEmpty() && epochs.readersLeft(pending.peekFirst().epoch)) {
        ready.add(pending.pollFirst().action);
      }
      running += ready.size();
      if (pending.isEmpty()) {
        retryNanos = FIRST_RETRY_NANOS;
      } else if (!retryScheduled) {
        retryScheduled = true;
        long delay = retryNanos;
        retryNanos = Math.min(retryNanos * 2, LAST_RETRY_NANOS);
        Retries.EXECUTOR.schedule(this::retry, delay, TimeUnit.NANOSECONDS);
      }
    }
    runAll(ready);
  }

  private void retry() {
    synchronized (this) {
      retryScheduled = false;
    }
    runReady();
  }

  /** Waits for every reader, then runs everything pending. For close, which no read may call. */
  void drain() {
    epochs.awaitReaders(epochs.advance());
    List<Runnable> all = new ArrayList<>();
    synchronized (this) {
      while (!pending.isEmpty()) {
        all.add(pending.pollFirst().action);
      }
      running += all.size();
    }
    runAll(all);
    boolean interrupted = false;
    synchronized (this) {
      while (running > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          // Close must not return while another thread still unmaps or deletes this store's files.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void runAll(List<Runnable> actions) {
    if (actions.isEmpty()) {
      return;
    }
    for (Runnable r : actions) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // An unmap or a deletion that failed leaves a mapping or a file behind, not wrong data: the
        // next open deletes a retired segment's file again.
        LOG.warn("Could not release a retired segment", e);
      } finally {
        synchronized (this) {
          if (--running == 0) {
            notifyAll();
          }
        }
      }
    }
    releaseViewMappingsIfOverBudget();
  }

  /**
   * Asks the garbage collector to run, at most once per {@value #GC_INTERVAL_SECONDS} s in this JVM,
   * when the read-only mappings that only it can release hold more than the budget's bytes of
   * segments the store no longer uses (files deleted, space not yet back). The JDK does the same
   * when direct buffer memory runs out; without it, a large young generation kept hundreds of
   * megabytes of deleted segments mapped for minutes.
   */
  private void releaseViewMappingsIfOverBudget() {
    if (viewBytes.get() <= viewBudget || !gcCheckScheduled.compareAndSet(false, true)) {
      return;
    }
    long wait = LAST_GC_REQUEST.get() + TimeUnit.SECONDS.toNanos(GC_INTERVAL_SECONDS) - System.nanoTime();
    Retries.EXECUTOR.schedule(() -> {
      gcCheckScheduled.set(false);
      long held = viewBytes.get();
      long releases = viewReleases.get();
      if (held > viewBudget && (held != heldAtLastGc || releases != viewReleasesAtLastGc)) {
        heldAtLastGc = held;
        viewReleasesAtLastGc = releases;
        LAST_GC_REQUEST.set(System.nanoTime());
        LOG.debug("{} bytes of retired segments are held by views' mappings; asking for a GC", held);
        System.gc();
        // Look again later: the collector's cleanups run after it. If a collection released
        // nothing and no segment dropped its mapping since (an application keeps closed
        // snapshots' views reachable), stop asking until the next segment is unmapped.
        releaseViewMappingsIfOverBudget();
      }
    }, Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  private static final int GC_INTERVAL_SECONDS = 2;

  private static final AtomicLong LAST_GC_REQUEST = new AtomicLong();

  /** Tests only: forgets when the collector was last asked to run. */
  static void resetGcRequestsForTests() {
    LAST_GC_REQUEST.set(System.nanoTime() - TimeUnit.SECONDS.toNanos(GC_INTERVAL_SECONDS));
  }

  /** The one retry thread of the JVM, started on first use; it never runs user code. */
  private static final class Retries {
    static final ScheduledExecutorService EXECUTOR;

    static {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sett-deferred-unmaps");
        t.setDaemon(true);
        return t;
      });
      e.setRemoveOnCancelPolicy(true);
      EXECUTOR = e;
    }
  }
}
