package dev.sett.core;

import dev.sett.api.CorruptionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a store's compaction in the background: when the writer rolls a segment, and at a poll
 * every {@value #POLL_MILLIS} ms, it asks whether any segment crosses the trigger (a lock-free
 * check) and if so compacts until none does.
 *
 * <p>The work runs on threads every store of the JVM shares: a pool of {@value #WORKERS} daemon
 * threads ({@code sett-compaction}, started on demand and gone after a minute idle) and one timer
 * thread for the polls ({@code sett-compaction-timer}). A JVM with hundreds of stores, one per
 * Kafka Streams partition, used to hold a parked compaction thread per store; now it holds at most
 * three, and a store waits for a worker only while others compact. One store's runs never overlap.
 *
 * <p>It stops for good after a {@link CorruptionException} (compaction must not rewrite around
 * damage; the application sees it on reads, and {@code sett verify} shows it) or when the store
 * closes. Any other failure, whatever its type, is recorded in its {@link BackgroundTask} (and so in
 * {@code stats()}) and retried, no sooner than a pause that doubles from 1 s to 1 min while failures
 * repeat.
 *
 * <p>Thread-safe.
 */
final class CompactionScheduler implements AutoCloseable {
  static final long POLL_MILLIS = 500;
  static final int WORKERS = 2;
  private static final long FIRST_BACKOFF_MILLIS = 1_000;
  private static final long LAST_BACKOFF_MILLIS = 60_000;

  private static final ThreadPoolExecutor POOL;
  private static final ScheduledExecutorService TIMER;

  static {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> daemon(r, "sett-compaction"));
    pool.allowCoreThreadTimeOut(true);
    POOL = pool;
    TIMER = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sett-compaction-timer"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private final Compactor compactor;
  private final BackgroundTask task;
  // Guarded by this.
  private boolean started;
  private boolean closed;
  /** A run is queued on the pool or running: one store's runs never overlap. */
  private boolean queued;
  /** Set by a wake-up while a run is queued or running: run again afterwards. */
  private boolean wakeAgain;
  private boolean stopped;
  private Thread runner;
  private long backoffMillis;
  private long notBeforeMillis;
  private ScheduledFuture<?> poll;

  CompactionScheduler(Compactor compactor, java.nio.file.Path dir) {
    this.compactor = compactor;
    this.task = new BackgroundTask("compaction", dir);
  }

  synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    task.running(true);
    poll = TIMER.scheduleWithFixedDelay(this::pollTick, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  BackgroundTask task() {
    return task;
  }

  /** Something changed that may make compaction worthwhile. */
  void wakeUp() {
    submit(true);
  }

  private void pollTick() {
    try {
      submit(false);
    } catch (RuntimeException | Error e) {
      // A timer task that throws is never run again; the next tick retries.
      task.failed(e, "the next poll tries again");
    }
  }

  /**
   * Queues a run if none is queued or running, the store is open, and no failure's pause is in
   * force; {@code woken}: a roll asked, so a running run checks again when it ends.
   */
  private void submit(boolean woken) {
    synchronized (this) {
      if (!started || closed || stopped) {
        return;
      }
      if (queued) {
        wakeAgain |= woken;
        return;
      }
      if (System.currentTimeMillis() < notBeforeMillis) {
        return;
      }
      queued = true;
      wakeAgain = false;
    }
    try {
      POOL.execute(this::run);
    } catch (RuntimeException e) {
      synchronized (this) {
        queued = false;
      }
      throw e;
    }
  }

  private void run() {
    synchronized (this) {
      if (closed) {
        queued = false;
        notifyAll();
        return;
      }
      runner = Thread.currentThread();
    }
    boolean again = false;
    try {
      while (!isClosed() && compactor.worthRunning()) {
        if (compactor.run(false, true).segmentsCompacted() == 0) {
          break;
        }
      }
      synchronized (this) {
        backoffMillis = 0;
        notBeforeMillis = 0;
        again = wakeAgain;
      }
    } catch (CorruptionException e) {
      task.failed(e, "background compaction stopped for good: it must not rewrite around damaged data;"
          + " run 'sett verify' and 'sett repair'");
      synchronized (this) {
        stopped = true;
        task.running(false);
      }
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        if (!closed) {
          backoffMillis = Math.min(LAST_BACKOFF_MILLIS, Math.max(FIRST_BACKOFF_MILLIS, backoffMillis * 2));
          notBeforeMillis = System.currentTimeMillis() + backoffMillis;
          task.failed(e, "retrying in " + backoffMillis + " ms");
        }
      }
    } finally {
      synchronized (this) {
        runner = null;
        queued = false;
        notifyAll();
      }
    }
    if (again) {
      submit(false);
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Stops polling and waits for a running compaction of this store to finish its current step (it
   * checks for close between steps). Called from the compaction worker itself, it does not wait for
   * itself.
   */
  @Override
  public void close() {
    boolean interrupted = false;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (poll != null) {
        poll.cancel(false);
      }
      // Only a run in progress is waited for: one still queued behind other stores' runs sees
      // 'closed' when it starts and leaves without touching the store.
      while (runner != null && runner != Thread.currentThread()) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (started && !stopped) {
        task.running(false);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
