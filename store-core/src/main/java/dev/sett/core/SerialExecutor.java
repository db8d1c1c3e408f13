package dev.sett.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's tasks one at a time, in submission order, on threads of a pool that many owners
 * share: what a single-thread executor per store gave, without a thread per store. While the owner
 * has queued work, one pool thread works through it; then it returns to the pool.
 *
 * <p>Thread-safe. {@link #shutdown} refuses new tasks and lets queued ones finish;
 * {@link #awaitTermination} waits for them.
 */
final class SerialExecutor extends AbstractExecutorService {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final String owner;
  // Guarded by this.
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining;
  private boolean shutdown;

  SerialExecutor(Executor pool, String owner) {
    this.pool = pool;
    this.owner = owner;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (shutdown) {
        throw new RejectedExecutionException(owner + " is shut down");
      }
      queue.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (this) {
        queue.remove(task);
        draining = false;
        notifyAll();
      }
      throw e;
    }
  }

  private void drain() {
    for (;;) {
      Runnable next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          notifyAll();
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        // Submitted tasks report through their futures; a plain execute()'s failure is logged here
        // rather than taking the shared thread (and the owner's queue) down with it.
        LOG.error("A background task of {} failed", owner, e);
      }
    }
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    notifyAll();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && !draining && queue.isEmpty();
  }

  @Override
  public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!isTerminated()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
