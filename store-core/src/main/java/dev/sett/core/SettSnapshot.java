package dev.sett.core;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.StoreClosedException;
import java.util.List;

/**
 * A snapshot: a sequence number plus pins on every segment that can hold a version it sees. It pins
 * all live segments when taken, and any segment created later (by a roll or by compaction) the
 * first time a lookup reaches it, so no segment it can reach is unmapped before it closes.
 *
 * <p>Thread-safe: lookups may run on several threads; pins are added under the snapshot's monitor.
 */
final class SettSnapshot implements Snapshot, SegmentPins {
  private final SettStore store;
  private final long sequence;
  private final long time;
  private volatile SegmentMap pinned;
  private volatile boolean closed;

  SettSnapshot(SettStore store, long sequence, long time, List<Segment> segments) {
    this.store = store;
    this.sequence = sequence;
    this.time = time;
    List<Segment> pins = new java.util.ArrayList<>(segments.size());
    for (Segment s : segments) {
      if (s.tryPin()) {
        pins.add(s);
      }
    }
    this.pinned = SegmentMap.of(pins);
  }

  @Override
  public long sequence() {
    return sequence;
  }

  @Override
  public void checkOpen() {
    checkNotClosed();
    store.checkOpen();
  }

  /**
   * The check a view makes on every access: one volatile read. Closing the store closes its
   * snapshots first, so the store need not be checked too.
   */
  void checkNotClosed() {
    if (closed) {
      throw new StoreClosedException("this snapshot is closed; views and cursors obtained from it can no"
          + " longer be used. Keep the snapshot open while you read, or copy the bytes out first");
    }
  }

  /**
   * Looks {@code key} up inside a read epoch, entered before the closed check: a close racing with
   * this read then either comes first (the check throws) or finds this read in its epoch and
   * leaves the segments mapped until it is done (see {@link DeferredUnmaps}).
   */
  @Override
  public ByteView get(byte[] key) {
    ReadEpochs epochs = store.epochs();
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      checkOpen();
      store.checks().key(key);
      ReadContext ctx = PlainReads.context();
      if (!Lookup.find(store.hashIndex(), key, KeyHash.hash(key), this, ctx)) {
        return null;
      }
      Segment s = ctx.segment;
      store.verifyIfAsked(s, ctx.offset);
      return new SnapshotView(this, epochs, s, s.valueOffset(ctx.offset), s.valueLength(ctx.offset));
    } finally {
      epochs.exit(epoch);
    }
  }

  @Override
  public Cursor scan(KeyRange range) {
    checkOpen();
    if (range == null) {
      throw new dev.sett.api.InvalidInputException("range must not be null; use KeyRange.all()");
    }
    return new SnapshotCursor(this, store, range);
  }

  /**
   * Finds {@code key}'s visible record into {@code ctx}; false if absent at this snapshot. The
   * caller is inside a read epoch, or is the only user of this snapshot.
   */
  boolean locate(byte[] key, ReadContext ctx) {
    return Lookup.find(store.hashIndex(), key, KeyHash.hash(key), this, ctx);
  }

  /** A view of bytes of {@code s}, which the caller found inside a read epoch. */
  ByteView view(Segment s, int offset, int length) {
    return new SnapshotView(this, store.epochs(), s, offset, length);
  }

  @Override
  public long readSequence() {
    return sequence;
  }

  /** Expiry is judged as of the moment the snapshot was taken, for every read through it. */
  @Override
  public long readTime() {
    return time;
  }

  @Override
  public Segment acquire(int id) {
    Segment s = pinned.get(id);
    return s != null ? s : pinLate(id);
  }

  private synchronized Segment pinLate(int id) {
    Segment s = pinned.get(id);
    if (s != null) {
      return s;
    }
    checkOpen();
    s = store.segmentTable().get(id);
    if (s == null || !s.tryPin()) {
      return null;
    }
    pinned = pinned.with(s);
    return s;
  }

  /** A segment was created while this snapshot is open: it may receive versions this snapshot needs. */
  synchronized void pinNew(Segment segment) {
    if (closed || pinned.get(segment.id()) != null || !segment.tryPin()) {
      return;
    }
    pinned = pinned.with(segment);
  }

  /** Tests: slots of the pin table, bounded by the pinned segment count. */
  int pinnedCapacity() {
    return pinned.capacity();
  }

  @Override
  public void release(Segment segment) {
    // The snapshot keeps its pins until it closes.
  }

  @Override
  public void close() {
    SegmentMap p;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      p = pinned;
      pinned = SegmentMap.EMPTY;
    }
    for (Segment s : p.values()) {
      s.unpin();
    }
    store.snapshotClosed(this);
  }
}
