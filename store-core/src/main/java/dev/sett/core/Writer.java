package dev.sett.core;

import dev.sett.api.InvalidInputException;
import dev.sett.api.StorageException;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final SegmentTable table;
  private final KeyIndex index;
  private final Sealer sealer;
  private final Segment.Disposer disposer;
  private final GroupCommit groupCommit;
  private volatile Segment active;
  private int nextSegmentId;
  private java.util.concurrent.Future<?> prepared;
  private int preparedId;
  private long lastSequence;
  private volatile long visibleSequence;
  private volatile StorageException failure;
  private boolean closed;
  private final java.util.function.Consumer<Segment> onNewSegment;

  Writer(SegmentFiles files, StoreOptions options, SegmentTable table, KeyIndex index,
      Segment.Disposer disposer, Recovery.Result recovered, java.util.function.Consumer<Segment> onNewSegment) {
    this.onNewSegment = onNewSegment;
    this.files = files;
    this.options = options;
    this.table = table;
    this.index = index;
    this.disposer = disposer;
    this.active = recovered.newest;
    this.nextSegmentId = recovered.nextSegmentId;
    this.lastSequence = recovered.lastSequence;
    this.visibleSequence = recovered.lastSequence;
    this.sealer = new Sealer(files, this::failed);
    this.groupCommit = new GroupCommit(this::forceAll, recovered.lastSequence);
  }

  /** Sequence number of the newest write readers may see. */
  long visibleSequence() {
    return visibleSequence;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** Takes the write lock for compaction or stats, ahead of writers spinning on it. */
  void lockForMaintenance() {
    if (lock.tryLock()) {
      return;
    }
    maintenanceWaiting = true;
    try {
      lock.lock();
    } finally {
      maintenanceWaiting = false;
    }
  }

  /** Takes the write lock for a write, letting waiting maintenance go first. */
  private void lockForWrite() {
    if (maintenanceWaiting) {
      Thread.yield();
    }
    lock.lock();
  }

  // ---- single writes ----------------------------------------------------------------------------

  void put(byte[] key, byte[] value) {
    long seq = appendOne(SegmentFormat.TYPE_PUT, key, value);
    awaitDurable(seq);
  }

  void delete(byte[] key) {
    long seq = appendOne(SegmentFormat.TYPE_DELETE, key, null);
    awaitDurable(seq);
  }

  private long appendOne(byte type, byte[] key, byte[] value) {
    int h = KeyHash.hash(key);
    int size = SegmentFormat.recordSize(key.length, value == null ? 0 : value.length);
    lockForWrite();
    try {
      checkWritable();
      long prev = index.find(key, h);
      if (type == SegmentFormat.TYPE_DELETE && isAbsent(prev)) {
        return 0;
      }
      ensureRoom(size);
      long seq = lastSequence + 1;
      int off = append(type, SegmentFormat.FLAG_COMMIT, key, value, seq, prev);
      CrashPoints.hit(CrashPoints.APPEND);
      lastSequence = seq;
      index.update(prev == Position.NONE ? key.clone() : key, h, Position.of(active.id(), off), type, size);
      visibleSequence = seq;
      return seq;
    } finally {
      lock.unlock();
    }
  }

  private boolean isAbsent(long position) {
    if (position == Position.NONE) {
      return true;
    }
    Segment s = table.get(Position.segment(position));
    return s == null || s.type(Position.offset(position)) == SegmentFormat.TYPE_DELETE;
  }

  // ---- batches ----------------------------------------------------------------------------------

  void write(WriteBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    // Later operations on a key win; writing only the last one keeps each key's version chain simple.
    Map<ByteBuffer, WriteBatch.Op> last = new LinkedHashMap<>();
    for (WriteBatch.Op op : batch.operations()) {
      last.remove(ByteBuffer.wrap(op.key()));
      last.put(ByteBuffer.wrap(op.key()), op);
    }
    List<WriteBatch.Op> ops = new ArrayList<>(last.values());
    long total = 0;
    for (WriteBatch.Op op : ops) {
      total += SegmentFormat.recordSize(op.key().length, op.isDelete() ? 0 : op.value().length);
    }
    if (total > options.segmentSize() - SegmentFormat.HEADER_SIZE) {
      throw new InvalidInputException("a batch of " + total + " bytes on disk does not fit in one segment of "
          + options.segmentSize() + " bytes; split it into smaller batches or raise segmentSize");
    }
    long seq;
    lockForWrite();
    try {
      checkWritable();
      ensureRoom((int) total);
      seq = lastSequence + 1;
      int n = ops.size();
      int[] hashes = new int[n];
      long[] prevs = new long[n];
      int[] offsets = new int[n];
      int batchStart = active.end();
      try {
        for (int i = 0; i < n; i++) {
          WriteBatch.Op op = ops.get(i);
          hashes[i] = KeyHash.hash(op.key());
          prevs[i] = index.find(op.key(), hashes[i]);
          byte flags = i == n - 1 ? SegmentFormat.FLAG_COMMIT : 0;
          offsets[i] = append(op.isDelete() ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT, flags,
              op.key(), op.value(), seq, prevs[i]);
          CrashPoints.hit(CrashPoints.BATCH_RECORD);
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          active.truncateTo(batchStart);
        }
        throw e;
      }
      lastSequence = seq;
      int id = active.id();
      for (int i = 0; i < n; i++) {
        WriteBatch.Op op = ops.get(i);
        byte type = op.isDelete() ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT;
        int size = SegmentFormat.recordSize(op.key().length, op.isDelete() ? 0 : op.value().length);
        index.update(op.key().clone(), hashes[i], Position.of(id, offsets[i]), type, size);
      }
      visibleSequence = seq;
    } finally {
      lock.unlock();
    }
    awaitDurable(seq);
  }

  // ---- segments ---------------------------------------------------------------------------------

  private int append(byte type, byte flags, byte[] key, byte[] value, long seq, long prev) {
    try {
      return active.append(type, flags, key, value, seq, prev);
    } catch (InternalError e) {
      // A fault while writing through the mapping (the file was truncated or the disk failed):
      // what reached the file is unknown.
      StorageException failed = new StorageException("writing to " + active.path()
          + " through its mapping failed; the store refuses writes until it is reopened", e, false);
      failure = failed;
      throw failed;
    }
  }

  private void ensureRoom(int size) {
    Segment a = active;
    if (a == null || a.remaining() < size) {
      roll(size);
    }
  }

  private void roll() {
    roll(0);
  }

  /**
   * The size of a new segment that must take a record of {@code recordSize} bytes: the configured
   * size, or more for a record that compaction copies from a segment made larger than that (the
   * store was written with a larger segment size than this handle's), rounded up to 4 KiB.
   */
  private int segmentSizeFor(int recordSize) {
    long needed = SegmentFormat.HEADER_SIZE + (long) recordSize;
    return (int) Math.max(options.segmentSize(), Math.min((needed + 4095) & ~4095L, StoreOptions.MAX_SEGMENT_SIZE));
  }

  private void roll(int recordSize) {
    Segment old = active;
    if (old != null && options.syncMode() == SyncMode.ALWAYS) {
      // Group commit forces only the active segment, so the one being left must be on disk first.
      forceOrFail(old);
    }
    int id = nextSegmentId;
    int size = segmentSizeFor(recordSize);
    Segment next;
    try {
      // takePrepared waits for the prepared file even when it is too small, so that creating a
      // larger one under the same temporary name never races its preparation.
      next = takePrepared(id) && size == options.segmentSize() ? files.install(id, size, disposer)
          : files.create(id, size, disposer);
    } catch (IOException e) {
      boolean full = StorageErrors.isDiskFull(e);
      throw new StorageException("could not create segment file " + files.segmentPath(id)
          + (full ? ": the disk is full. Free space and retry; the store stays readable and nothing was lost"
              : ": " + e.getMessage()), e, full);
    }
    CrashPoints.hit(CrashPoints.ROLL);
    nextSegmentId = id + 1;
    table.add(next);
    onNewSegment.accept(next);
    active = next;
    if (old != null) {
      sealer.seal(old);
    }
    prepare(id + 1);
  }

  /**
   * Starts writing the next segment's file in the background: zero-filling 64 MiB through the file
   * system takes over 100 ms here, which the roll that needs it would otherwise spend holding the
   * write lock.
   */
  private void prepare(int id) {
    int size = options.segmentSize();
    preparedId = id;
    prepared = sealer.submit(() -> {
      files.prepare(id, size);
      return null;
    });
  }

  /** Whether segment {@code id}'s file was prepared (waiting for it if it is still being written). */
  private boolean takePrepared(int id) {
    java.util.concurrent.Future<?> f = prepared;
    if (f == null || preparedId != id) {
      return false;
    }
    prepared = null;
    try {
      f.get();
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      // Typically a full disk: creating the file now reports it to this write.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.CancellationException e) {
      return false;
    }
  }

  /** Deletes a prepared file nobody will use (on close); the next open would delete it anyway. */
  private void discardPrepared() {
    java.util.concurrent.Future<?> f = prepared;
    prepared = null;
    if (f != null && f.isDone()) {
      try {
        files.storage().delete(files.preparedPath(preparedId));
      } catch (IOException e) {
        // left for the next open
      }
    }
  }

  // ---- compaction's access (the caller holds the lock) ----------------------------------------

  /**
   * Appends a copy of a record moved by compaction: same type, key, value, sequence number and
   * previous-version pointer, committed on its own. Readers' visible sequence does not change.
   */
  long appendCopy(byte type, byte[] key, byte[] value, long seq, long prev) {
    checkWritable();
    ensureRoom(SegmentFormat.recordSize(key.length, value == null ? 0 : value.length));
    int off = append(type, SegmentFormat.FLAG_COMMIT, key, value, seq, prev);
    return Position.of(active.id(), off);
  }

  /** Seals the active segment now (compaction is about to take it). */
  void sealActive() {
    checkWritable();
    roll();
  }

  /** Forces every segment with unsynced data, so compaction's copies are on disk. */
  void forceForCompaction() {
    try {
      forceAll();
    } catch (IOException e) {
      failed(e);
      throw failure;
    }
  }

  Sealer sealer() {
    return sealer;
  }

  private void forceOrFail(Segment segment) {
    try {
      segment.force(files.storage());
    } catch (IOException e) {
      failed(e);
      throw failure;
    }
  }

  // ---- durability -------------------------------------------------------------------------------

  private void awaitDurable(long seq) {
    if (options.syncMode() == SyncMode.ALWAYS && seq > 0) {
      sync(seq);
    }
  }

  /** Forces every write up to the current visible sequence. */
  void sync() {
    if (files.readOnly()) {
      return;
    }
    sync(visibleSequence);
  }

  private void sync(long seq) {
    StorageException f = failure;
    if (f != null) {
      throw f;
    }
    try {
      groupCommit.awaitDurable(seq);
    } catch (IOException e) {
      failed(e);
      throw failure;
    }
  }

  /** Forces every segment with unsynced data; returns the sequence number that is now durable. */
  private long forceAll() throws IOException {
    long target = visibleSequence;
    Segment a = active;
    for (Segment s : table.all()) {
      if (s != a && !s.durable() && s.tryPin()) {
        try {
          s.force(files.storage());
        } finally {
          s.unpin();
        }
      }
    }
    if (a != null && a.tryPin()) {
      try {
        a.force(files.storage());
      } finally {
        a.unpin();
      }
    }
    return target;
  }

  private void failed(IOException e) {
    if (failure == null) {
      failure = new StorageException("forcing data to disk failed (" + e.getMessage() + "); what reached"
          + " the disk is unknown, so the store refuses writes until it is closed and reopened", e,
          StorageErrors.isDiskFull(e));
    }
  }

  private void checkWritable() {
    if (closed) {
      throw new StoreClosedException("the store at " + files.dir() + " is closed; open it again with Sett.open");
    }
    StorageException f = failure;
    if (f != null) {
      throw new StorageException(f.getMessage(), f, f.diskFull());
    }
  }

  // ---- stats and shutdown -----------------------------------------------------------------------

  long lastSequence() {
    return lastSequence;
  }

  Segment active() {
    return active;
  }

  /** Waits for sealing, then forces what is not yet on disk. Called once, on close. */
  void close() {
    closed = true;
    sealer.close();
    discardPrepared();
    if (!files.readOnly() && failure == null) {
      try {
        forceAll();
      } catch (IOException e) {
        throw new StorageException("could not force data to disk while closing " + files.dir(), e,
            StorageErrors.isDiskFull(e));
      }
      Segment a = active;
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
