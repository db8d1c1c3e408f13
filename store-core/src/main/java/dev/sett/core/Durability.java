package dev.sett.core;

import dev.sett.api.StorageException;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Makes writes durable and remembers when that failed: forces segments (the one being left at a
 * roll, every unsynced one for {@code sync()} and for compaction), shares fsyncs between writers
 * ({@link GroupCommit}), and holds the failure state that makes the store refuse writes.
 *
 * <p>Why the failure is sticky: after a failed force (or a fault while writing through the
 * mapping) what reached the disk is unknown, and a force retried "successfully" may have dropped
 * the dirty pages the failed one could not write (the fsync-gate problem). So the first failure, of
 * whatever type, is kept, and every later write fails with it as the cause until the store is
 * reopened from disk.
 *
 * <p>Thread-safe.
 */
final class Durability {
  private final SegmentFiles files;
  private final SegmentTable table;
  private final Supplier<Segment> active;
  private final LongSupplier visibleSequence;
  private final SyncMode mode;
  private final GroupCommit groupCommit;
  private volatile StorageException failure;

  Durability(SegmentFiles files, SegmentTable table, SyncMode mode, Supplier<Segment> active,
      LongSupplier visibleSequence, long durableSequence) {
    this.files = files;
    this.table = table;
    this.mode = mode;
    this.active = active;
    this.visibleSequence = visibleSequence;
    this.groupCommit = new GroupCommit(this::forceAll, durableSequence, files.dir().toString());
  }

  /** The failure that stops writes, or null. */
  StorageException failure() {
    return failure;
  }

  /** Throws the failure that stops writes, if there is one (a fresh exception with it as cause). */
  void checkNotFailed() {
    StorageException f = failure;
    if (f != null) {
      throw new StorageException(f.getMessage(), f, f.diskFull());
    }
  }

  /**
   * A force failed, in whatever way: what reached the disk is unknown, so every later write is
   * refused (with {@code e} as the cause) until the store is reopened.
   */
  void failed(Throwable e) {
    if (failure == null) {
      failure = new StorageException("forcing data to disk failed (" + e.getMessage() + "); what reached"
          + " the disk is unknown, so the store refuses writes until it is closed and reopened", e,
          StorageErrors.isDiskFull(e));
    }
  }

  /**
   * A fault while writing a segment, through its mapping ({@link InternalError}) or with a staged
   * batch's positional write ({@link IOException}): what reached the file is unknown, so it is
   * remembered like a failed force, and thrown.
   */
  StorageException faultWhileWriting(Segment segment, Throwable e) {
    boolean full = StorageErrors.isDiskFull(e);
    StorageException f = new StorageException("writing to " + segment.path()
        + (e instanceof InternalError ? " through its mapping" : "") + " failed"
        + (full ? " (the disk is full)" : "") + "; the store refuses writes until it is reopened", e, full);
    if (failure == null) {
      failure = f;
    }
    return f;
  }

  /** Under {@link SyncMode#ALWAYS}, returns once the write with sequence {@code seq} is durable. */
  void awaitDurable(long seq) {
    if (mode == SyncMode.ALWAYS && seq > 0) {
      sync(seq);
    }
  }

  /** Returns once every write up to {@code seq} is on disk. */
  void sync(long seq) {
    StorageException f = failure;
    if (f != null) {
      throw f;
    }
    try {
      groupCommit.awaitDurable(seq);
    } catch (IOException | RuntimeException | InternalError e) {
      // InternalError: a fault in the mapping (the file was truncated, or the disk failed).
      failed(e);
      throw failure;
    }
  }

  /** Forces {@code segment} (the one a roll leaves) or makes the store refuse writes. */
  void forceOrFail(Segment segment) {
    SyncEvent event = Jfr.mayRecord() && SyncEvent.PROBE.isEnabled() ? new SyncEvent() : null;
    try {
      if (event != null) {
        event.begin();
      }
      segment.dropPageTableEntries(); // it takes no more appends: see PageTables
      segment.force(files.storage());
      if (event != null) {
        commit(event, SyncEvent.ROLL, 0);
      }
    } catch (IOException | RuntimeException | InternalError e) {
      failed(e);
      throw failure;
    }
  }

  /** Forces every segment with unsynced data, so compaction's copies are on disk. */
  void forceAllOrFail() {
    SyncEvent event = Jfr.mayRecord() && SyncEvent.PROBE.isEnabled() ? new SyncEvent() : null;
    try {
      if (event != null) {
        event.begin();
      }
      long durable = forceAll();
      if (event != null) {
        commit(event, SyncEvent.COMPACTION, durable);
      }
    } catch (IOException | RuntimeException | InternalError e) {
      failed(e);
      throw failure;
    }
  }

  private void commit(SyncEvent event, String reason, long sequence) {
    event.end();
    event.store = files.dir().toString();
    event.reason = reason;
    event.sequence = sequence;
    event.commit();
  }

  /** Forces every segment with unsynced data; returns the sequence number that is now durable. */
  long forceAll() throws IOException {
    long target = visibleSequence.getAsLong();
    Segment a = active.get();
    for (Segment s : table.all()) {
      if (s != a && !s.durable() && s.tryPin()) {
        try {
          s.dropPageTableEntries(); // not the active one: it takes no more appends
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
}
