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
 * closes. Other failures are logged and retried on the next wake-up.
 */
final class CompactionScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactionScheduler.class);
  static final long POLL_MILLIS = 500;

  private final Compactor compactor;
  private final Thread thread;
  private boolean wake;
  private boolean closed;

  CompactionScheduler(Compactor compactor, String name) {
    this.compactor = compactor;
    this.thread = new Thread(this::loop, "sett-compactor-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Something changed that may make compaction worthwhile. */
  synchronized void wakeUp() {
    wake = true;
    notifyAll();
  }

  private void loop() {
    while (awaitWork()) {
      try {
        while (!isClosed() && compactor.worthRunning()) {
          if (compactor.run(false, true).segmentsCompacted() == 0) {
            break;
          }
        }
      } catch (CorruptionException e) {
        LOG.error("Background compaction stopped: {}", e.getMessage());
        return;
      } catch (StoreException | IllegalStateException e) {
        if (isClosed()) {
          return;
        }
        LOG.warn("Background compaction failed; retrying later", e);
      }
    }
  }

  private synchronized boolean awaitWork() {
    long deadline = System.currentTimeMillis() + POLL_MILLIS;
    while (!closed && !wake) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        return false;
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
