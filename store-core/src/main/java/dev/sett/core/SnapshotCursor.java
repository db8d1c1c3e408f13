package dev.sett.core;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.StoreClosedException;
import java.util.Iterator;

/**
 * Walks the ordered key set over a range and resolves each key against the snapshot, skipping keys
 * that are absent at its sequence number (deleted, or written after it).
 *
 * <p>Single-threaded.
 */
final class SnapshotCursor implements Cursor {
  private final SettSnapshot snapshot;
  private final SettStore store;
  private final Iterator<byte[]> keys;
  private final ReadContext ctx = new ReadContext();
  private ByteView key;
  private ByteView value;
  private boolean closed;

  SnapshotCursor(SettSnapshot snapshot, SettStore store, KeyRange range) {
    this.snapshot = snapshot;
    this.store = store;
    this.keys = store.orderedKeys().iterate(range);
  }

  @Override
  public boolean next() {
    if (closed) {
      throw new StoreClosedException("this cursor is closed");
    }
    // As SettSnapshot.get: inside a read epoch, entered before the snapshot's closed check.
    ReadEpochs epochs = store.epochs();
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      snapshot.checkOpen();
      while (keys.hasNext()) {
        byte[] k = keys.next();
        if (snapshot.locate(k, ctx)) {
          Segment s = ctx.segment;
          int off = ctx.offset;
          store.verifyIfAsked(s, off);
          key = snapshot.view(s, off + SegmentFormat.R_KEY, k.length);
          value = snapshot.view(s, s.valueOffset(off), s.valueLength(off));
          return true;
        }
      }
      key = null;
      value = null;
      return false;
    } finally {
      epochs.exit(epoch);
    }
  }

  @Override
  public ByteView key() {
    return current(key);
  }

  @Override
  public ByteView value() {
    return current(value);
  }

  private ByteView current(ByteView v) {
    if (closed) {
      throw new StoreClosedException("this cursor is closed");
    }
    if (v == null) {
      throw new IllegalStateException("no current entry: call next() and check that it returned true");
    }
    return v;
  }

  @Override
  public void close() {
    closed = true;
    key = null;
    value = null;
  }
}
