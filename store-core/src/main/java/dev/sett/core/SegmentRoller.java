package dev.sett.core;

import dev.sett.api.StorageException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Owns the active segment and moves the store to a new one when it is full: takes the file
 * prepared in the background (or creates one), publishes it in the segment table, hands the old
 * one to the sealer and starts preparing the next.
 *
 * <p><b>Threading.</b> Called only under the writer's lock; {@link #active()} may be read from any
 * thread.
 */
final class SegmentRoller {
  private final SegmentFiles files;
  private final StoreOptions options;
  private final SegmentTable table;
  private final Sealer sealer;
  private final Segment.Disposer disposer;
  private final Consumer<Segment> onNewSegment;
  private volatile Segment active;
  private int nextSegmentId;
  private Future<?> prepared;
  private int preparedId;
  private int preparedSize;

  SegmentRoller(SegmentFiles files, StoreOptions options, SegmentTable table, Sealer sealer,
      Segment.Disposer disposer, Consumer<Segment> onNewSegment, Segment active, int nextSegmentId) {
    this.files = files;
    this.options = options;
    this.table = table;
    this.sealer = sealer;
    this.disposer = disposer;
    this.onNewSegment = onNewSegment;
    this.active = active;
    this.nextSegmentId = nextSegmentId;
  }

  Segment active() {
    return active;
  }

  /**
   * A read-only store's catch-up: the live writer rolled to {@code next}, mapped read-only by the
   * caller; published as a roll publishes a new segment (table, then open snapshots, then active).
   */
  void adoptNewest(Segment next) {
    table.add(next);
    onNewSegment.accept(next);
    active = next;
    nextSegmentId = Math.max(nextSegmentId, next.id() + 1);
  }

  /** Makes sure the active segment has room for {@code size} bytes, rolling if it has not. */
  void ensureRoom(int size, Durability durability) {
    ensureRoom(size, durability, false);
  }

  /**
   * As {@link #ensureRoom(int, Durability)}; for an expiring record ({@code expiring}) the active
   * segment must also be of the current format: a version-1 segment (an upgraded store's) is sealed
   * and a new one started.
   */
  void ensureRoom(int size, Durability durability, boolean expiring) {
    Segment a = active;
    if (a == null || a.remaining() < size || (expiring && a.formatVersion() < SegmentFormat.VERSION)) {
      roll(durability, size);
    }
  }

  /** Starts a new active segment now; the old one is forced (under {@code ALWAYS}) and sealed. */
  void roll(Durability durability) {
    roll(durability, 0);
  }

  /**
   * The size of a new segment that must hold a record of {@code recordSize} bytes: grown from the
   * segments the store has now ({@link SegmentSizing}).
   */
  private int sizeFor(int recordSize) {
    return SegmentSizing.sizeFor(existingBytes(), recordSize, options.segmentSize());
  }

  private long existingBytes() {
    long total = 0;
    for (Segment s : table.all()) {
      total += s.size();
    }
    return total;
  }

  private void roll(Durability durability, int recordSize) {
    SegmentRollEvent event = Jfr.mayRecord() && SegmentRollEvent.PROBE.isEnabled() ? new SegmentRollEvent() : null;
    if (event != null) {
      event.begin();
    }
    Segment old = active;
    if (old != null && options.syncMode() == SyncMode.ALWAYS) {
      // Group commit forces only the active segment, so the one being left must be on disk first.
      durability.forceOrFail(old);
    }
    int id = nextSegmentId;
    Segment next;
    boolean usedPrepared;
    try {
      int preparedSize = this.preparedSize;
      usedPrepared = takePrepared(id);
      if (usedPrepared && !SegmentSizing.holds(preparedSize, recordSize)) {
        files.storage().delete(files.preparedPath(id)); // too small for this record
        usedPrepared = false;
      }
      // A prepared file is used even if compaction has since shrunk the store and a new one would
      // be smaller: it is already written, and making another would zero-fill under the write lock.
      next = usedPrepared ? files.install(id, preparedSize, disposer) : files.create(id, sizeFor(recordSize), disposer);
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
    if (event != null) {
      event.store = files.dir().toString();
      event.oldSegment = old == null ? -1 : old.id();
      event.newSegment = id;
      event.newSize = next.size();
      event.prepared = usedPrepared;
      event.commit();
    }
  }

  /**
   * Starts writing the next segment's file in the background: zero-filling 64 MiB through the file
   * system takes over 100 ms here, which the roll that needs it would otherwise spend holding the
   * write lock. Sized by the same growth rule as any new segment, so a small store does not carry a
   * full-size spare file.
   */
  private void prepare(int id) {
    int size = sizeFor(0);
    preparedId = id;
    preparedSize = size;
    prepared = sealer.submit(() -> {
      files.prepare(id, size);
      return null;
    });
  }

  /**
   * Whether segment {@code id}'s file was prepared (waiting for it if it is still being written).
   * The wait ignores interrupts: giving up on a preparation that is still writing the file and
   * creating the same file here would have two threads writing one path.
   */
  private boolean takePrepared(int id) {
    Future<?> f = prepared;
    if (f == null || preparedId != id) {
      return false;
    }
    prepared = null;
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          f.get();
          return true;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException | CancellationException e) {
          // Typically a full disk: creating the file now reports it to this write.
          return false;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Deletes a prepared file nobody will use (on close); the next open would delete it anyway. */
  void discardPrepared() {
    Future<?> f = prepared;
    prepared = null;
    if (f != null && f.isDone()) {
      try {
        files.storage().delete(files.preparedPath(preparedId));
      } catch (IOException e) {
        // left for the next open
      }
    }
  }
}
