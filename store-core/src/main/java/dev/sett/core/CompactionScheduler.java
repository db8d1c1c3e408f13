package dev.sett.core;

import dev.sett.api.CorruptionException;
import dev.sett.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs compaction in the background: a daemon thread that wakes when the writer rolls a segment, or
 * every {@value #POLL_MILLIS} ms, and compacts while any segment crosses the trigger.
 *
 * <p>It stops for good after a {@link CorruptionException} (compaction must not rewrite around
 * damage; the application sees it on reads, and {@code sett verify} shows it) or when the store
 * closes. Any other failure, whatever its type, is recorded in its {@link BackgroundTask} (and so in
 * {@code stats()}) and retried, after a pause that doubles from 1 s to 1 min while failures repeat.
 */
final class CompactionScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactionScheduler.class);
  static final long POLL_MILLIS = 500;
  private static final long FIRST_BACKOFF_MILLIS = 1_000;
  private static final long LAST_BACKOFF_MILLIS = 60_000;

  private final Compactor compactor;
  private final Thread thread;
  private final BackgroundTask task;
  private boolean wake;
  private boolean closed;

  CompactionScheduler(Compactor compactor, String name) {
    this.compactor = compactor;
    this.task = new BackgroundTask("compaction", name);
    this.thread = new Thread(this::loop, "sett-compactor-" + name);
    thread.setDaemon(true);
  }

  void start() {
    task.running(true);
    thread.start();
  }

  BackgroundTask task() {
    return task;
  }

  /** Something changed that may make compaction worthwhile. */
  synchronized void wakeUp() {
    wake = true;
    notifyAll();
  }

  private void loop() {
    long backoff = 0;
    try {
      while (awaitWork(backoff)) {
        try {
          while (!isClosed() && compactor.worthRunning()) {
            if (compactor.run(false, true).segmentsCompacted() == 0) {
              break;
            }
          }
          backoff = 0;
        } catch (CorruptionException e) {
          task.failed(e, "background compaction stopped for good: it must not rewrite around damaged data;"
              + " run 'sett verify' and 'sett repair'");
          return;
        } catch (RuntimeException | Error e) {
          if (isClosed()) {
            return;
          }
          backoff = Math.min(LAST_BACKOFF_MILLIS, Math.max(FIRST_BACKOFF_MILLIS, backoff * 2));
          task.failed(e, "retrying in " + backoff + " ms");
        }
      }
    } finally {
      task.running(false);
    }
  }

  /** Waits for a wake-up, the poll interval, or {@code backoffMillis} after a failure (no wake-up cuts it short). */
  private synchronized boolean awaitWork(long backoffMillis) {
    long deadline = System.currentTimeMillis() + (backoffMillis > 0 ? backoffMillis : POLL_MILLIS);
    while (!closed && (backoffMillis > 0 || !wake)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        // Nobody but close() has business with this thread, and close() says so through 'closed'.
      }
    }
    wake = false;
    return !closed;
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Stops the thread and waits for a running compaction to finish its current step. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      boolean interrupted = false;
      for (;;) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
