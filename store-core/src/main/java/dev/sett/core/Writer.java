package dev.sett.core;

import dev.sett.api.StorageException;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write path: appends records to the active segment through its mapping, rolls to a new segment
 * when it is full, updates the index, publishes the new sequence number to readers, and waits for
 * durability under {@link SyncMode#ALWAYS}.
 *
 * <p><b>Threading.</b> Writes are serialised by one lock; the fsync of {@code ALWAYS} happens
 * outside it, shared between concurrent writers ({@link GroupCommit}). Readers see a write when
 * {@link #visibleSequence()} reaches its sequence number: every record of a batch carries the same
 * number, so a batch becomes visible all at once.
 *
 * <p><b>Failures.</b> A failed fsync, or an error while writing through the mapping, leaves the
 * files in an unknown state: the writer then refuses every later write with the same
 * {@link StorageException} until the store is reopened. A failure to create a new segment (for
 * example a full disk) changes nothing and is reported to that one write.
 */
final class Writer {
  // Unfair, because a fair lock hands over to a parked thread on every unlock: eight writers then
  // managed a tenth of one writer's puts (measured). But with an unfair lock a writer in a tight loop
  // re-takes it before a waiting compaction thread wakes, and compaction starved for minutes; so a
  // waiting compaction raises a flag and writers step aside (yield) before taking the lock.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean maintenanceWaiting;
  private final SegmentFiles files;
  private final StoreOptions options;
  private final KeyIndex index;
  private final Sealer sealer;
  private final SegmentRoller roller;
  private final Durability durability;
  private long lastSequence;
  private volatile long visibleSequence;
  /**
   * How many operations of a batch have their index slots touched together before they are
   * written: their lines (64 bytes each) stay in the core's second-level cache until used.
   */
  private static final int PROBE_BLOCK = 256;
  /**
   * Batches of at least this many bytes on disk are written to the file with positional writes
   * rather than through the mapping ({@link StagedAppends}): eight pages, whose page faults cost more
   * than the system calls.
   */
  static final int STAGED_BATCH_BYTES = 32 * 1024;
  /** Keeps the batch path's slot touches from being removed as dead code. */
  @SuppressWarnings("unused")
  private long probeSink;
  private boolean closed;
  private final java.time.InstantSource clock;
  private final CurrentValues current;
  /** {@link StoreOptions#defaultTtl()}, or null. */
  private final java.time.Duration defaultTtl;

  Writer(SegmentFiles files, StoreOptions options, SegmentTable table, KeyIndex index,
      Segment.Disposer disposer, Recovery.Result recovered, java.util.function.Consumer<Segment> onNewSegment) {
    this.files = files;
    this.options = options;
    this.index = index;
    this.clock = options.clock();
    this.defaultTtl = options.defaultTtl();
    this.current = new CurrentValues(table, options.verifyChecksums(), clock);
    this.lastSequence = recovered.lastSequence;
    this.visibleSequence = recovered.lastSequence;
    this.durability = new Durability(files, table, options.syncMode(), this::active,
        this::visibleSequence, recovered.lastSequence);
    this.sealer = new Sealer(files, durability::failed);
    this.roller = new SegmentRoller(files, options, table, sealer, disposer, onNewSegment, recovered.newest,
        recovered.nextSegmentId);
  }

  /** Sequence number of the newest write readers may see. */
  long visibleSequence() {
    return visibleSequence;
  }

  ReentrantLock lock() {
    return lock;
  }

  /**
   * Takes the write lock for compaction, ahead of writers spinning on it, and throws
   * {@link StoreClosedException} (lock released) once the store is closed: close releases the
   * index, against which a compaction would find every record dead.
   */
  void lockForMaintenance() {
    if (!lock.tryLock()) {
      maintenanceWaiting = true;
      try {
        lock.lock();
      } finally {
        maintenanceWaiting = false;
      }
    }
    if (closed) {
      lock.unlock();
      throw closedError();
    }
  }

  /** Whether {@link #close} has run; caller holds the write lock. */
  boolean isClosed() {
    return closed;
  }

  /** Takes the write lock for a write, letting waiting maintenance go first. */
  private void lockForWrite() {
    if (maintenanceWaiting) {
      Thread.yield();
    }
    lock.lock();
  }

  // ---- single writes ----------------------------------------------------------------------------

  /** A put that expires {@code ttl} from now; null for the store's default (usually never). */
  void put(byte[] key, byte[] value, java.time.Duration ttl) {
    long seq = appendOne(SegmentFormat.TYPE_PUT, key, value, expiryOf(ttl));
    durability.awaitDurable(seq);
  }

  void delete(byte[] key) {
    long seq = appendOne(SegmentFormat.TYPE_DELETE, key, null, SegmentFormat.NEVER);
    durability.awaitDurable(seq);
  }

  /** When a put with {@code ttl} (null: the store's default) written now expires, asking the clock only if it does. */
  private long expiryOf(java.time.Duration ttl) {
    return ttl == null && defaultTtl == null ? SegmentFormat.NEVER : Expiries.at(ttl, defaultTtl, clock.millis());
  }

  private long appendOne(byte type, byte[] key, byte[] value, long expiresAt) {
    int h = KeyHash.hash(key);
    int size = SegmentFormat.recordSize(key.length, value == null ? 0 : value.length,
        expiresAt != SegmentFormat.NEVER);
    lockForWrite();
    try {
      checkWritable();
      long prev = index.find(key, h);
      if (type == SegmentFormat.TYPE_DELETE && current.isAbsent(prev)) {
        return 0;
      }
      return appendCommitted(type, key, h, value, prev, size, expiresAt);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends one write (a single committed record) whose previous version is {@code prev}, indexes
   * it and makes it visible; returns its sequence number. The caller holds the lock.
   */
  private long appendCommitted(byte type, byte[] key, int h, byte[] value, long prev, int size, long expiresAt) {
    ensureRoom(size, expiresAt != SegmentFormat.NEVER);
    long seq = lastSequence + 1;
    int off = append(type, SegmentFormat.FLAG_COMMIT, key, value, seq, prev, expiresAt);
    CrashPoints.hit(CrashPoints.APPEND);
    lastSequence = seq;
    index.update(prev == Position.NONE ? key.clone() : key, h, Position.of(roller.active().id(), off), type, size);
    noteExpiry(off, expiresAt, size);
    visibleSequence = seq;
    return seq;
  }

  /** Lists a record that expires with its segment's liveness, which compaction reads. */
  private void noteExpiry(int offset, long expiresAt, int size) {
    if (expiresAt != SegmentFormat.NEVER) {
      roller.active().liveness().expires(offset, expiresAt, size);
    }
  }

  /**
   * Appends a put ({@code value} not null) or a delete of {@code key} only if the key's current
   * value is {@code expected} ({@link #ABSENT} for no value), decided and written under the write
   * lock so that no other write comes between; returns whether it applied. A record the check reads
   * is verified first when {@code verifyChecksums} is on: a damaged value must not decide a write.
   */
  boolean writeIf(byte[] key, byte[] expected, byte[] value) {
    byte type = value == null ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT;
    int h = KeyHash.hash(key);
    long expiresAt = value == null ? SegmentFormat.NEVER : expiryOf(null);
    int size = SegmentFormat.recordSize(key.length, value == null ? 0 : value.length,
        expiresAt != SegmentFormat.NEVER);
    long seq;
    lockForWrite();
    try {
      checkWritable();
      long prev = index.find(key, h);
      if (!current.is(prev, expected)) {
        return false;
      }
      seq = appendCommitted(type, key, h, value, prev, size, expiresAt);
    } finally {
      lock.unlock();
    }
    durability.awaitDurable(seq);
    return true;
  }

  /** Marks "the key has no value" for {@link #writeIf}. */
  static final byte[] ABSENT = null;

  // ---- batches ----------------------------------------------------------------------------------

  void write(WriteBatch batch) {
    write(batch, null);
  }

  /**
   * Writes {@code batch} atomically; {@code precondition}, if given, runs first under the write
   * lock, where no other write can come between it and the batch, and throws to write nothing (a
   * transaction's commit checks its reads there).
   */
  void write(WriteBatch batch, Runnable precondition) {
    if (batch.isEmpty()) {
      return;
    }
    BatchPlan plan = BatchPlan.of(batch, defaultTtl, clock, options.segmentSize());
    long seq;
    lockForWrite();
    try {
      checkWritable();
      if (precondition != null) {
        precondition.run();
      }
      roller.ensureRoom((int) plan.total, durability, plan.anyExpires);
      seq = lastSequence + 1;
      Segment active = roller.active();
      long[] prevs = new long[plan.size()];
      int[] offsets = appendBatch(plan, seq, active, prevs);
      lastSequence = seq;
      indexBatch(plan, active.id(), prevs, offsets);
      visibleSequence = seq;
    } finally {
      lock.unlock();
    }
    durability.awaitDurable(seq);
  }

  /*
   * appendBatch and indexBatch are separate methods, each with one loop, rather than parts of
   * write: the JIT then compiles each once, early, where one large method was compiled four times
   * (three on-stack replacements at its loops, then whole), which a JVM's first restore paid for.
   */

  /**
   * Appends the batch's records to {@code active} (which has room for them all), the last one
   * carrying the commit flag; fills {@code prevs} with each key's previous newest record and
   * returns the records' offsets. A large batch is staged and written to the file in pieces
   * ({@link StagedAppends}). If an append fails, the segment is cut back to where the batch began
   * (unless the store has failed: then what reached the file is unknown, and the next open decides).
   */
  private int[] appendBatch(BatchPlan plan, long seq, Segment active, long[] prevs) {
    int n = plan.size();
    int[] offsets = new int[n];
    int batchStart = active.end();
    boolean staged = plan.total >= STAGED_BATCH_BYTES;
    if (staged) {
      active.beginStaged(files.storage());
    }
    long touched = 0;
    try {
      for (int i = 0; i < n; i++) {
        if (i % PROBE_BLOCK == 0) {
          touched += touchBlock(plan.hashes, i);
        }
        WriteBatch.Op op = plan.ops.get(i);
        prevs[i] = index.find(op.key(), plan.hashes[i]);
        byte flags = i == n - 1 ? SegmentFormat.FLAG_COMMIT : 0;
        offsets[i] = append(plan.type(i), flags, op.key(), op.value(), seq, prevs[i], plan.expiries[i]);
        CrashPoints.hit(CrashPoints.BATCH_RECORD);
      }
      if (staged) {
        finishStaged(active);
      }
    } catch (RuntimeException e) {
      if (durability.failure() == null) {
        active.truncateTo(batchStart);
      }
      throw e;
    } finally {
      if (staged) {
        active.dropStaged(); // gives the buffer back; a no-op once the batch was written or cut
      }
    }
    probeSink += touched;
    return offsets;
  }

  /** Makes the batch's records, appended to segment {@code segmentId}, the newest of their keys. */
  private void indexBatch(BatchPlan plan, int segmentId, long[] prevs, int[] offsets) {
    int n = plan.size();
    long touched = 0;
    List<byte[]> newKeys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % PROBE_BLOCK == 0) {
        touched += touchBlock(plan.hashes, i);
      }
      byte[] key = plan.ops.get(i).key();
      // The index keeps the key only if it is new (the batch's keys are distinct); a put over an
      // existing key needs no copy of it.
      if (prevs[i] == Position.NONE) {
        key = key.clone();
      }
      index.update(key, plan.hashes[i], Position.of(segmentId, offsets[i]), plan.type(i), plan.sizes[i], newKeys);
      noteExpiry(offsets[i], plan.expiries[i], plan.sizes[i]);
    }
    index.addNewKeys(newKeys);
    probeSink += touched;
  }

  /**
   * Loads the home slots of the next {@value #PROBE_BLOCK} keys from {@code from}, in a loop of
   * nothing but those loads, so that their cache misses overlap; touched while appending (a few
   * hundred instructions per record) they waited for each other, one miss per record.
   */
  private long touchBlock(int[] hashes, int from) {
    long touched = 0;
    for (int j = from, end = Math.min(hashes.length, from + PROBE_BLOCK); j < end; j++) {
      touched += index.touch(hashes[j]);
    }
    return touched;
  }

  // ---- segments ---------------------------------------------------------------------------------

  private int append(byte type, byte flags, byte[] key, byte[] value, long seq, long prev, long expiresAt) {
    Segment active = roller.active();
    try {
      return active.append(type, flags, key, value, seq, prev, expiresAt);
    } catch (InternalError e) {
      // A fault while writing through the mapping (the file was truncated or the disk failed):
      // what reached the file is unknown.
      throw durability.faultWhileWriting(active, e);
    } catch (UncheckedIOException e) {
      // A staged batch's positional write failed part way: as unknown.
      throw durability.faultWhileWriting(active, e.getCause());
    }
  }

  /** Writes a staged batch's last records to the file and moves the segment's end past them. */
  private void finishStaged(Segment active) {
    try {
      active.finishStaged();
    } catch (IOException e) {
      throw durability.faultWhileWriting(active, e);
    }
  }

  private void ensureRoom(int size, boolean expiring) {
    roller.ensureRoom(size, durability, expiring);
  }

  // ---- compaction's access (the caller holds the lock) ----------------------------------------

  /**
   * Appends a copy of a record moved by compaction: same type, key, value, sequence number and
   * previous-version pointer, committed on its own. Readers' visible sequence does not change.
   */
  long appendCopy(byte type, byte[] key, byte[] value, long seq, long prev, long expiresAt) {
    checkWritable();
    boolean expires = expiresAt != SegmentFormat.NEVER;
    ensureRoom(SegmentFormat.recordSize(key.length, value == null ? 0 : value.length, expires), expires);
    int off = append(type, SegmentFormat.FLAG_COMMIT, key, value, seq, prev, expiresAt);
    return Position.of(roller.active().id(), off);
  }

  /** Seals the active segment now (compaction is about to take it). */
  void sealActive() {
    checkWritable();
    roller.roll(durability);
  }

  /** Forces every segment with unsynced data, so compaction's copies are on disk. */
  void forceForCompaction() {
    durability.forceAllOrFail();
  }

  Sealer sealer() {
    return sealer;
  }

  /** The store's directory. */
  java.nio.file.Path dir() {
    return files.dir();
  }

  // ---- durability -------------------------------------------------------------------------------

  /** Forces every write up to the current visible sequence. */
  void sync() {
    if (files.readOnly()) {
      return;
    }
    durability.sync(visibleSequence);
  }

  private void checkWritable() {
    if (closed) {
      throw closedError();
    }
    durability.checkNotFailed();
  }

  private StoreClosedException closedError() {
    return new StoreClosedException("the store at " + files.dir() + " is closed; open it again with Sett.open");
  }

  // ---- stats and shutdown -----------------------------------------------------------------------

  long lastSequence() {
    return lastSequence;
  }

  Segment active() {
    return roller.active();
  }

  /**
   * Read-only stores only ({@link ReaderCatchUp}, under the write lock): the live writer rolled to
   * {@code segment}, which is now this store's newest.
   */
  void adoptNewest(Segment segment) {
    checkReadOnly();
    roller.adoptNewest(segment);
  }

  /**
   * Read-only stores only ({@link ReaderCatchUp}, under the write lock): every record up to
   * {@code sequence} is indexed; reads and new snapshots see them from now on.
   */
  void publishCaughtUp(long sequence) {
    checkReadOnly();
    if (sequence > lastSequence) {
      lastSequence = sequence;
      visibleSequence = sequence;
    }
  }

  private void checkReadOnly() {
    if (!files.readOnly() || !lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("only a read-only store catching up, under its write lock, takes records in");
    }
  }

  /** Waits for sealing, then forces what is not yet on disk. Called once, on close. */
  void close() {
    closed = true;
    sealer.close();
    roller.discardPrepared();
    if (!files.readOnly() && durability.failure() == null) {
      try {
        durability.forceAll();
      } catch (IOException e) {
        throw new StorageException("could not force data to disk while closing " + files.dir(), e,
            StorageErrors.isDiskFull(e));
      }
      Segment a = roller.active();
      if (a != null && a.tryPin()) {
        try {
          sealer.writeHint(a);
        } finally {
          a.unpin();
        }
      }
    }
  }
}
