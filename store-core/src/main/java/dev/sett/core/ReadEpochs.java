package dev.sett.core;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Epoch-based protection for plain reads: a reading thread announces the epoch it entered in a slot
 * of its own, and a segment taken out of the segment table is released only once every thread that
 * might have seen it in the table has left. Reads thus share no written cache line (a shared
 * reference count made two reading threads slower than one).
 *
 * <p>Protocol: a reader stores the current epoch in its slot (a volatile write, which orders it
 * before the reader's loads of the table) and stores {@link #IDLE} when done. The retirer removes
 * segments from the table, then {@link #advance()}s the epoch, then {@link #awaitReaders waits}
 * until no slot holds an epoch older than the advanced one. Either a reader's slot write comes
 * before the retirer's scan (the retirer waits for it) or after it, and then the reader's table
 * load comes after the removal and cannot find the segment.
 *
 * <p>Thread-safe. A read that runs a user callback keeps its epoch for the callback's duration, so
 * a callback that blocks delays the release of retired segments (never their correctness).
 */
final class ReadEpochs {
  private static final long IDLE = Long.MAX_VALUE;

  /** One thread's announcement, padded so that two threads' slots never share a cache line. */
  static final class Slot {
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;
    @SuppressWarnings("unused")
    private long p7;
    volatile long active = IDLE;
    int depth;
    final Thread owner = Thread.currentThread();
    @SuppressWarnings("unused")
    private long q1;
    @SuppressWarnings("unused")
    private long q2;
    @SuppressWarnings("unused")
    private long q3;
    @SuppressWarnings("unused")
    private long q4;
    @SuppressWarnings("unused")
    private long q5;
    @SuppressWarnings("unused")
    private long q6;
  }

  private final AtomicLong epoch = new AtomicLong(1);
  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Slot> mine = ThreadLocal.withInitial(this::register);

  private Slot register() {
    Slot s = new Slot();
    slots.add(s);
    return s;
  }

  /** Enters a read (nestable on one thread); pass the result to {@link #exit}. */
  Slot enter() {
    Slot s = mine.get();
    if (s.depth++ == 0) {
      s.active = epoch.get();
    }
    return s;
  }

  void exit(Slot s) {
    if (--s.depth == 0) {
      s.active = IDLE;
    }
  }

  /**
   * Refuses {@code what} on a thread that is inside a read: waiting for readers there would wait for
   * itself.
   */
  void checkNotReading(String what) {
    if (mine.get().depth > 0) {
      throw new dev.sett.api.StoreException(what + " cannot be called from inside a read callback (it waits"
          + " for reads to finish); call it after the callback returns");
    }
  }

  /** Starts a new epoch; call after taking segments out of the table. Returns it. */
  long advance() {
    return epoch.incrementAndGet();
  }

  /**
   * Whether no reader that entered before {@code since} is still reading; never waits. A thread that
   * died inside a read (it cannot, reads exit in {@code finally}) would not hold anything up.
   */
  boolean readersLeft(long since) {
    for (Slot s : slots) {
      if (s.active < since && s.owner.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until no reader that entered before {@code since} is still reading. Parks between checks
   * (reads are short, but a read callback runs user code for as long as it likes, and a waiter must
   * not burn a core meanwhile).
   */
  void awaitReaders(long since) {
    long park = 1_000;
    int spins = 0;
    while (!readersLeft(since)) {
      if (++spins < 100) {
        Thread.onSpinWait();
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(park);
        park = Math.min(park * 2, 10_000_000);
      }
    }
    slots.removeIf(s -> !s.owner.isAlive());
  }
}
