package dev.sett.core;

import java.util.ArrayDeque;
import java.util.Arrays;
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
    /** The thread this slot belongs to; handed to a new thread only once this one has died. */
    volatile Thread owner = Thread.currentThread();
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
  /** Every slot, in a prefix of the array; only ever appended to, read without locks. */
  private volatile Slot[] slots = new Slot[8];
  private volatile int count;
  /** Slots whose threads died, ready for new threads (guarded by this). */
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  private int registeredSinceScan;
  private final ThreadLocal<Slot> mine = ThreadLocal.withInitial(this::register);

  /**
   * A thread's first read takes a slot: one a dead thread left if there is one, else a new one.
   * Dead threads' slots are collected by a scan that runs once registrations since the last scan
   * reach half the slot count, so a new thread costs amortised O(1) and the slots stay bounded by
   * the threads alive at once (with thread-per-request or virtual threads, a thread reads once and
   * dies: a slot each, kept for ever, made every scan and every new thread slower).
   */
  private synchronized Slot register() {
    Thread me = Thread.currentThread();
    registeredSinceScan++;
    if (free.isEmpty() && registeredSinceScan >= Math.max(8, count / 2)) {
      collectDead();
    }
    Slot reused = free.poll();
    if (reused != null) {
      reused.depth = 0;
      reused.owner = me;
      return reused;
    }
    Slot s = new Slot();
    Slot[] a = slots;
    int n = count;
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n] = s;
    slots = a;
    count = n + 1;
    return s;
  }

  /** Puts the slots of threads that died on the free list (the caller holds this). */
  private void collectDead() {
    Slot[] a = slots;
    for (int i = 0; i < count; i++) {
      Slot s = a[i];
      if (s.owner != null && !s.owner.isAlive()) {
        s.owner = null; // no thread: never waited for, and marks it as on the free list
        s.active = IDLE;
        free.add(s);
      }
    }
    registeredSinceScan = 0;
  }

  /** Tests: how many slots exist (live threads' plus free ones). */
  synchronized int slotCount() {
    return count;
  }

  /** Enters a read (nestable on one thread); pass the result to {@link #exit}. */
  Slot enter() {
    Slot s = mine.get();
    if (s.depth++ == 0) {
      s.active = epoch.get();
    }
    return s;
  }

  /**
   * Leaves a read. A release store, not a volatile one: it only has to keep the read's loads before
   * it (a retirer that sees {@link #IDLE} must not unmap under a load still in flight), which release
   * ordering guarantees; the full fence a volatile store adds would order it before this thread's
   * later loads too, which no one needs, and it cost a fence per view access. A retirer may see the
   * store a little late, which only delays a release.
   */
  void exit(Slot s) {
    if (--s.depth == 0) {
      ACTIVE.setRelease(s, IDLE);
    }
  }

  private static final java.lang.invoke.VarHandle ACTIVE;

  static {
    try {
      ACTIVE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Slot.class, "active", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
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
    // count before slots: register() publishes a grown array before the count that needs it.
    int n = count;
    Slot[] a = slots;
    for (int i = 0; i < n; i++) {
      Slot s = a[i];
      if (s.active < since) {
        Thread owner = s.owner;
        if (owner != null && owner.isAlive()) {
          return false;
        }
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
  }
}
