package dev.sett.core;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes writes durable with as few {@code fsync}s as possible (group commit). A writer that needs
 * its write on disk either waits for a sync that covers it or, when none is running, becomes the
 * leader and syncs everything appended so far, for itself and every writer waiting with it.
 *
 * <p><b>Why the leader gathers first.</b> A sync covers only what was appended before it started.
 * When a sync ends, the writers it covered return to their callers and most come straight back
 * with their next write, a few microseconds later; but a writer that was waiting, and so is
 * already here, would start the next sync at once and cover only itself, and the writers coming
 * back would wait for the sync after it. Writers then fall into step, each write costing its own
 * sync: two writers measured 1.1 times one writer's throughput, eight writers about four writes per
 * sync. So the next leader first waits until as many writers have come back as the last sync
 * covered, for at most a quarter of what a sync takes (so waiting for writers who are not coming
 * costs little beside the sync itself, and a lone writer, who is the one coming back, never
 * waits); its sync then covers all of them: {@code n} writers cost one sync per round. It waits
 * spinning while each returning writer can have a core of its own, parked otherwise
 * ({@link #spinUntilReturned} says why).
 *
 * <p><b>Failure.</b> A failed sync is kept: the waiting writers and every later call get an
 * {@link IOException} with it as the cause, and no sync is tried again ({@link Durability} explains
 * why a retried fsync proves nothing).
 *
 * <p>Thread-safe. No sync runs while the monitor is held, and none while the store's write lock is
 * held: writers call this after releasing it.
 */
final class GroupCommit {
  /** Forces everything up to the sequence it returns. */
  interface Syncer {
    long syncAll() throws IOException;
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  /**
   * Longest a leader spins for returning writers before it parks for the rest of its gathering:
   * writers that come straight back arrive within tens of microseconds, and a spin as long as a
   * slow disk's gathering (up to 2 ms) would burn CPU, and a container's CPU quota, on writers busy
   * elsewhere.
   */
  private static final long MAX_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  /** Longest a leader gathers, however slow the disk. */
  private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final Syncer syncer;
  /** The store's directory, as JFR events name it. */
  private final String store;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a sync ends or fails. */
  private final Condition synced = lock.newCondition();
  /** Signalled to a gathering leader when the last writer it waits for arrives. */
  private final Condition gathered = lock.newCondition();
  private long durableSequence;
  private boolean syncing;
  private IOException failure;
  /** Writers inside {@link #awaitDurable} whose write is not yet durable, the leader included. */
  private int waiting;
  /** Writers the last sync covered that have not come back with another write (written under the lock). */
  private volatile int returning;
  private boolean gathering;
  /** Moving average of how long a sync takes; it bounds the gathering. */
  private long syncNanos;
  private long gatherTimeouts;

  GroupCommit(Syncer syncer, long durableSequence, String store) {
    this.syncer = syncer;
    this.store = store;
    this.durableSequence = durableSequence;
  }

  /** Returns once every write with a sequence up to {@code sequence} is durable. */
  void awaitDurable(long sequence) throws IOException {
    boolean interrupted = false;
    lock.lock();
    try {
      arrived();
      waiting++;
      try {
        for (;;) {
          if (failure != null) {
            throw new IOException("an earlier sync failed; the store must be reopened", failure);
          }
          if (durableSequence >= sequence) {
            return;
          }
          if (syncing) {
            // Uninterruptible: a writer that gave up here would not know whether its write is on
            // disk; the interrupt is kept for the caller.
            synced.awaitUninterruptibly();
          } else {
            interrupted |= lead();
          }
        }
      } finally {
        waiting--;
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Tests: how often a leader stopped waiting for writers who did not come back in time. */
  long gatherTimeouts() {
    lock.lock();
    try {
      return gatherTimeouts;
    } finally {
      lock.unlock();
    }
  }

  /** A writer came (back) with a write: one fewer for a gathering leader to wait for. */
  private void arrived() {
    if (returning > 0 && --returning == 0 && gathering) {
      gathered.signal();
    }
  }

  /**
   * Gathers, then syncs for everyone waiting (the lock is released during the sync itself).
   * Returns whether the thread was interrupted while gathering.
   */
  private boolean lead() throws IOException {
    syncing = true;
    boolean interrupted = gather();
    int covered = waiting;
    long reached;
    long start = System.nanoTime();
    SyncEvent event = Jfr.mayRecord() && SyncEvent.PROBE.isEnabled() ? new SyncEvent() : null;
    lock.unlock();
    try {
      if (event != null) {
        event.begin();
      }
      reached = syncer.syncAll();
      if (event != null) {
        event.end();
        event.store = store;
        event.reason = SyncEvent.GROUP_COMMIT;
        event.waiters = covered;
        event.sequence = reached;
        event.commit();
      }
    } catch (IOException | RuntimeException | Error e) {
      // Whatever went wrong, the leader must hand over: a waiter left behind 'syncing' would wait
      // for ever.
      lock.lock();
      failure = e instanceof IOException ? (IOException) e : new IOException(e);
      syncing = false;
      synced.signalAll();
      throw e;
    }
    lock.lock();
    long took = System.nanoTime() - start;
    syncNanos = syncNanos == 0 ? took : (3 * syncNanos + took) / 4;
    durableSequence = Math.max(durableSequence, reached);
    // Every writer waiting when the sync started had appended before it: all of them are covered
    // and will (most likely) come back.
    returning = covered;
    syncing = false;
    synced.signalAll();
    return interrupted;
  }

  /** Waits, bounded, for the writers the last sync covered to come back. */
  private boolean gather() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + Math.min(MAX_GATHER_NANOS, syncNanos / 4);
    if (returning > 0 && returning < CORES) {
      spinUntilReturned(Math.min(deadline, System.nanoTime() + MAX_SPIN_NANOS));
    }
    gathering = true;
    try {
      while (returning > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          gatherTimeouts++;
          break;
        }
        try {
          gathered.awaitNanos(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      gathering = false;
      returning = 0;
    }
    return interrupted;
  }

  /**
   * Waits for the returning writers without parking, the lock released, when each of them can
   * have a core of its own beside the leader. A parked leader wakes about 16 microseconds after
   * the last writer arrives (a park/unpark round trip measured 32 on this kind of VM): with two
   * writers that was a third of the time between syncs. With more writers than cores, the
   * spinning leader (even yielding) takes the core they need and fewer came back in time (5.5
   * writes per sync instead of 7.2 for eight writers on two cores), so then it parks.
   */
  private void spinUntilReturned(long deadline) {
    lock.unlock();
    try {
      while (returning > 0 && System.nanoTime() < deadline) {
        Thread.yield();
      }
    } finally {
      lock.lock();
    }
  }
}
