package dev.sett.core;

import dev.sett.api.CompactionResult;
import dev.sett.api.CorruptionException;
import dev.sett.api.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims space: picks segments by their dead share, copies their live records forward into the
 * active segment, swaps index entries that still point at the old copies, and retires the old
 * segments.
 *
 * <h2>Steps and their crash points</h2>
 * <ol>
 *   <li>Pick victims under the write lock ({@link #select}); seal the active segment if it is the
 *       most wasteful one. Wait until the sealer has finished with every victim.</li>
 *   <li>For each victim, in id order, in chunks under the write lock: a record the index still
 *       points to is copied forward (same sequence number) and its entry swapped; a superseded record
 *       is left behind and its key's version count drops; a tombstone whose key has no other record
 *       on disk, and which no open snapshot predates, is left behind and its key leaves the index.
 *       Crash point {@value CrashPoints#COMPACTION_COPIED} after each chunk: recovery then finds
 *       both copies of some records, with the same sequence number, and keeps one.</li>
 *   <li>Force the copies to disk. Crash point {@value CrashPoints#COMPACTION_FORCED}.</li>
 *   <li>Retire the victims: out of the segment table, deleted in id order once no snapshot or read
 *       pins them ({@link RetiredSegments}). Crash points {@value CrashPoints#COMPACTION_RETIRED}
 *       and {@value CrashPoints#COMPACTION_DELETED}.</li>
 * </ol>
 * Nothing is deleted before the copies are on disk, and a crash at any step leaves a directory that
 * opens with exactly the data it had.
 *
 * <p><b>Threading.</b> One compaction at a time (a run lock); the write lock is held per chunk only,
 * so foreground writes interleave with it and reads never wait.
 */
final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  private static final int CHUNK_RECORDS = 64;
  private static final int CHUNK_BYTES = 256 << 10;
  /** Longest a chunk that stopped for a waiting writer waits for that writer to take the lock. */
  private static final long GIVE_WAY_NANOS = 200_000;

  private final Writer writer;
  private final KeyIndex index;
  private final SegmentTable table;
  private final StoreOptions options;
  private final LongSupplier oldestSnapshotSequence;
  private final LongSupplier oldestSnapshotTime;
  private final java.time.InstantSource clock;
  private final SnapshotGate gate;
  private final RetiredSegments retired;
  private final Object runLock = new Object();
  private final AtomicLong runs = new AtomicLong();
  /** Chunks cut short for a waiting writer (tests read it). */
  private final AtomicLong gaveWay = new AtomicLong();
  private final AtomicLong reclaimed = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  /** Lets compaction retire segments while no snapshot is being taken. */
  interface SnapshotGate {
    void retireAtomically(Runnable retire);
  }

  Compactor(Writer writer, KeyIndex index, SegmentTable table, StoreOptions options,
      LongSupplier oldestSnapshotSequence, LongSupplier oldestSnapshotTime, SnapshotGate gate, RetiredSegments retired) {
    this.writer = writer;
    this.index = index;
    this.table = table;
    this.options = options;
    this.clock = options.clock();
    this.oldestSnapshotSequence = oldestSnapshotSequence;
    this.oldestSnapshotTime = oldestSnapshotTime;
    this.gate = gate;
    this.retired = retired;
  }

  long runs() {
    return runs.get();
  }

  long bytesReclaimed() {
    return reclaimed.get();
  }

  long nanos() {
    return nanos.get();
  }

  /** Whether any segment seems to cross the trigger now (cheap; lock-free, so a hint only). */
  boolean worthRunning() {
    // Without the write lock: the idle compaction thread asks this at every poll, and taking the
    // lock to read a few counters stalled writers for nothing. The counters may be a moment stale
    // (the writer updates them without publishing); a run decides again under the lock. A segment
    // where a record may have expired since the last count asks for a run, which counts under the lock.
    List<Segment> all = table.all();
    long now = clock.millis();
    for (Segment s : all) {
      if (s.liveness().expiryDue(now)) {
        return true;
      }
    }
    return triggered(all, false);
  }

  /** Runs at full speed: {@link dev.sett.api.Store#compact()} asked for it and waits. */
  long chunksCutForWriters() {
    return gaveWay.get();
  }

  CompactionResult run(boolean force) {
    return run(force, false);
  }

  /**
   * @param throttled whether to pause after each chunk in which foreground writes happened, for
   *     twice as long as the chunk took, so that background compaction holds the write lock at most
   *     about a third of the time while the application writes, and runs at full speed while it
   *     does not
   */
  CompactionResult run(boolean force, boolean throttled) {
    synchronized (runLock) {
      long start = System.nanoTime();
      CompactionEvent event = Jfr.mayRecord() && CompactionEvent.PROBE.isEnabled() ? new CompactionEvent() : null;
      if (event != null) {
        event.begin();
      }
      List<Segment> victims;
      writer.lockForMaintenance();
      try {
        victims = select(force);
      } finally {
        writer.lock().unlock();
      }
      if (victims.isEmpty()) {
        return CompactionResult.nothing(System.nanoTime() - start);
      }
      // The sealer may still be forcing a victim or writing its hint; let it finish so that no pin
      // of its delays one victim's deletion past a later one's.
      writer.sealer().drain();
      Counts counts = new Counts();
      CompactionJournal journal = new CompactionJournal(index);
      try {
        for (Segment victim : victims) {
          rewrite(victim, counts, journal, throttled);
        }
        writer.forceForCompaction();
      } catch (RuntimeException | Error e) {
        // The victims stay: the index must count their records again (see CompactionJournal),
        // unless the store closed meanwhile and released its index (the next open counts anew).
        writer.lock().lock();
        try {
          if (!writer.isClosed()) {
            journal.undo();
          }
        } finally {
          writer.lock().unlock();
        }
        throw e;
      }
      CrashPoints.hit(CrashPoints.COMPACTION_FORCED);
      long bytes = 0;
      for (Segment v : victims) {
        bytes += v.size();
      }
      writer.lockForMaintenance();
      try {
        gate.retireAtomically(() -> {
          journal.commit();
          for (Segment v : victims) {
            table.remove(v.id());
            retired.retired(v.id());
          }
        });
      } finally {
        writer.lock().unlock();
      }
      CrashPoints.hit(CrashPoints.COMPACTION_RETIRED);
      // Reads that found a victim in the table before it left may still be inside it: the unmap
      // and the deletion wait for them (DeferredUnmaps), compaction does not.
      for (Segment v : victims) {
        v.retire(true);
      }
      long took = System.nanoTime() - start;
      runs.incrementAndGet();
      reclaimed.addAndGet(bytes);
      nanos.addAndGet(took);
      LOG.debug("Compacted {} segment(s): {} bytes reclaimed, {} records copied, {} dropped, {} tombstones and {}"
          + " expired records dropped", victims.size(), bytes, counts.copied, counts.dropped, counts.tombstones,
          counts.expired);
      if (event != null) {
        event.store = writer.dir().toString();
        event.segments = victims.size();
        event.bytesReclaimed = bytes;
        event.recordsCopied = counts.copied;
        event.bytesCopied = counts.copiedBytes;
        event.recordsDropped = counts.dropped;
        event.tombstonesDropped = counts.tombstones;
        event.expiredDropped = counts.expired;
        event.background = throttled;
        event.commit();
      }
      return new CompactionResult(victims.size(), bytes, counts.copied, counts.copiedBytes, counts.dropped,
          counts.tombstones, counts.expired, took);
    }
  }

  private static final class Counts {
    long copied;
    long copiedBytes;
    long dropped;
    long tombstones;
    long expired;
  }

  // ---- victim selection (under the write lock) --------------------------------------------------

  private boolean triggered(List<Segment> segments, boolean force) {
    for (Segment s : segments) {
      SegmentLiveness l = s.liveness();
      if (force ? l.reclaimableRecords() > 0 : meetsTrigger(s)) {
        return true;
      }
    }
    return false;
  }

  private boolean meetsTrigger(Segment s) {
    SegmentLiveness l = s.liveness();
    boolean waste = l.reclaimableRatio() >= options.compactionTriggerRatio()
        || l.reclaimableBytes() >= options.compactionTriggerBytes();
    if (s == writer.active()) {
      // Compacting the active segment only pays once it holds more dead bytes than the fresh segment
      // its live records move to costs; otherwise every run would replace it with another one.
      return waste && l.reclaimableBytes() >= options.compactionIncludeRatio() * s.size();
    }
    return waste;
  }

  private boolean joins(Segment s) {
    SegmentLiveness l = s.liveness();
    if (l.reclaimableRecords() == 0) {
      return false;
    }
    if (s == writer.active()) {
      return meetsTrigger(s) && isMostWasteful(s);
    }
    return meetsTrigger(s) || l.reclaimableRatio() >= options.compactionIncludeRatio()
        || l.bytes() < options.compactionSmallSegmentBytes();
  }

  private boolean isMostWasteful(Segment active) {
    long mine = active.liveness().reclaimableBytes();
    for (Segment s : table.all()) {
      if (s != active && s.liveness().reclaimableBytes() > mine) {
        return false;
      }
    }
    return true;
  }

  private List<Segment> select(boolean force) {
    List<Segment> victims = candidates(force);
    if (victims.contains(writer.active())) {
      writer.sealActive();
    }
    return victims;
  }

  /** The segments a run would take now, without changing anything (caller holds the write lock). */
  List<Segment> candidates(boolean force) {
    List<Segment> all = table.all();
    long now = clock.millis();
    for (Segment s : all) {
      s.liveness().refreshExpired(now);
    }
    List<Segment> victims = new ArrayList<>();
    if (!triggered(all, force)) {
      return victims;
    }
    Segment active = writer.active();
    for (Segment s : all) {
      if (force ? s.liveness().reclaimableRecords() > 0 && (s != active || isMostWasteful(s)) : joins(s)) {
        victims.add(s);
      }
    }
    return victims;
  }

  /** Ids of the segments a run would take now; for dry runs. */
  List<Integer> plan(boolean force) {
    writer.lockForMaintenance();
    try {
      List<Integer> ids = new ArrayList<>();
      for (Segment s : candidates(force)) {
        ids.add(s.id());
      }
      return ids;
    } finally {
      writer.lock().unlock();
    }
  }

  // ---- rewriting one segment --------------------------------------------------------------------

  private void rewrite(Segment victim, Counts counts, CompactionJournal journal, boolean throttled) {
    RecordScanner scanner = new RecordScanner(victim, SegmentFormat.HEADER_SIZE, victim.end());
    boolean more = true;
    while (more) {
      long writesBefore = writer.visibleSequence();
      writer.lockForMaintenance();
      long chunkStart = System.nanoTime();
      boolean cutShort = false;
      try {
        int bytes = 0;
        for (int n = 0; n < CHUNK_RECORDS && bytes < CHUNK_BYTES; n++) {
          // A writer waiting for the lock gets it after the record being moved, not after the chunk:
          // a chunk of 1 KB records held it for hundreds of microseconds, and every put that arrived
          // meanwhile (a third of them, at the throttled duty cycle) waited that long.
          if (n > 0 && writer.lock().hasQueuedThreads()) {
            cutShort = true;
            gaveWay.incrementAndGet();
            break;
          }
          if (!scanner.next()) {
            more = false;
            break;
          }
          bytes += moveOrDrop(victim, scanner.offset(), counts, journal);
        }
      } finally {
        writer.lock().unlock();
      }
      long chunkNanos = System.nanoTime() - chunkStart;
      if (cutShort) {
        // The lock is not fair: without this the next chunk could take it back before the woken
        // writer runs. Bounded, so that a stream of writers slows compaction but cannot stop it.
        long until = System.nanoTime() + GIVE_WAY_NANOS;
        while (writer.lock().hasQueuedThreads() && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      CrashPoints.hit(CrashPoints.COMPACTION_COPIED);
      if (throttled && more && writer.visibleSequence() != writesBefore) {
        pause(2 * chunkNanos);
      }
    }
    if (scanner.stop() == RecordScanner.Stop.DAMAGED) {
      // Copying would launder damaged bytes under a fresh checksum; retire nothing.
      throw new CorruptionException(victim.path(), scanner.offset(), "compaction found " + scanner.problem());
    }
  }

  private static void pause(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Handles one record of a victim; returns the bytes it copied. */
  private int moveOrDrop(Segment victim, int off, Counts counts, CompactionJournal journal) {
    byte[] key = victim.copyKey(off);
    int h = KeyHash.hash(key);
    long pos = Position.of(victim.id(), off);
    byte type = victim.type(off);
    int size = victim.recordSize(off);
    if (!index.pointsTo(h, pos)) {
      journal.dropped(key, h, victim, off);
      counts.dropped++;
      return 0;
    }
    long seq = victim.sequence(off);
    boolean dead = victim.liveness().isDead(off);
    if (type == SegmentFormat.TYPE_DELETE && dead && index.versions(key, h) == 1
        && oldestSnapshotSequence.getAsLong() >= seq) {
      journal.removeTombstone(victim, off);
      counts.tombstones++;
      return 0;
    }
    long expiresAt = victim.expiresAt(off);
    // An expired record goes with its key when nothing older of the key is left on disk (or a later
    // open would find that older version again) and no open snapshot is old enough to see it live.
    if (expiresAt != SegmentFormat.NEVER && expiresAt <= Math.min(clock.millis(), oldestSnapshotTime.getAsLong())
        && index.versions(key, h) == 1) {
      journal.removeExpired(victim, off);
      counts.expired++;
      return 0;
    }
    byte[] value = type == SegmentFormat.TYPE_PUT ? victim.copyValue(off) : null;
    long to = writer.appendCopy(type, key, value, seq, victim.previous(off), expiresAt);
    journal.moved(key, h, victim, off, to, type, size, dead, expiresAt);
    counts.copied++;
    counts.copiedBytes += size;
    return size;
  }
}
