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
 * <p>Slots: a thread gets one on its first read and keeps it for life; the slot of a thread that
 * died goes to the next new thread (see {@link #register}), so under thread-per-request or virtual
 * threads the slots, and each scan of them, stay bounded by the reader threads alive at once rather
 * than growing with every thread that ever read. A slot's owner is set before its first epoch is
 * stored, and scanners read the epoch before the owner, so a reused slot is never mistaken for its
 * dead former owner's.
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
    /**
     * The thread the slot belongs to; null while free. Set before the owner's first store to
     * {@code active}, so a scanner that reads a reader's epoch, then the owner, finds that reader.
     */
    volatile Thread owner;
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

    Slot(Thread owner) {
      this.owner = owner;
    }
  }

  private static final int FIRST_CAPACITY = 16;

  private final AtomicLong epoch = new AtomicLong(1);
  private final ThreadLocal<Slot> mine = ThreadLocal.withInitial(this::register);

  /**
   * Every slot ever made, in {@code slots[0, count)}; slots are reused, never removed. Written under
   * this object's monitor: the element (and a grown array) before {@code count}, so a scanner that
   * reads {@code count} first sees every slot counted. The array only grows, by doubling.
   */
  private volatile Slot[] slots = new Slot[FIRST_CAPACITY];
  private volatile int count;
  /** Slots whose owner died, ready for a new thread (guarded by this). */
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  /** Registrations since the last scan for dead owners (guarded by this). */
  private int registeredSinceScan;

  /**
   * Gives the calling thread a slot: a dead thread's if there is one, else a new one. Once the
   * registrations since the last scan reach half the slots, first scans for dead owners, so the
   * scan is amortised O(1) per registration and the slots stay within about twice the most reader
   * threads ever alive at once (a new slot is made only while over half of them have live owners).
   */
  private synchronized Slot register() {
    Thread me = Thread.currentThread();
    if (free.isEmpty() && registeredSinceScan >= count / 2) {
      reclaimDead();
    }
    registeredSinceScan++;
    Slot s = free.poll();
    if (s != null) {
      s.owner = me;
      return s;
    }
    s = new Slot(me);
    Slot[] a = slots;
    int n = count;
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
      slots = a;
    }
    a[n] = s;
    count = n + 1;
    return s;
  }

  /**
   * Frees the slots of threads that died (a thread's reads exit in {@code finally}, so such a slot
   * is idle; it is reset anyway, and ignored by scanners meanwhile because its owner is dead).
   */
  private void reclaimDead() {
    registeredSinceScan = 0;
    Slot[] a = slots;
    int n = count;
    for (int i = 0; i < n; i++) {
      Slot s = a[i];
      Thread owner = s.owner;
      if (owner != null && !owner.isAlive()) {
        s.depth = 0;
        s.active = IDLE;
        s.owner = null;
        free.add(s);
      }
    }
  }

  /** How many slots exist (for tests): bounded by the reader threads alive at once, not ever seen. */
  int slotCount() {
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
