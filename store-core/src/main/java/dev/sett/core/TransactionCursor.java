package dev.sett.core;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.StoreClosedException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A transaction's scan: the snapshot's cursor merged with the transaction's own writes in the range
 * (its puts add or replace entries, its deletes hide them), recording as it goes how far it walked
 * and how many snapshot entries it met, which the commit checks ({@link TransactionReads.Scan}).
 *
 * <p>The cursor shows the writes the transaction made before it was opened; later ones show in
 * {@link SettTransaction#get} and in cursors opened after them.
 *
 * <p>Single-threaded, like every cursor.
 */
final class TransactionCursor implements Cursor {
  private final SettTransaction owner;
  private final Cursor snapshot;
  /** The transaction's writes in the range when the cursor was opened, in the cursor's order. */
  private final Iterator<Map.Entry<byte[], byte[]>> own;
  private final boolean reverse;
  private final TransactionReads.Scan scan;
  /** The snapshot's next entry, taken but not yet consumed, and its key as bytes when needed. */
  private boolean snapshotPeeked;
  private boolean snapshotHas;
  private byte[] snapshotKey;
  private Map.Entry<byte[], byte[]> ownNext;
  private long snapshotConsumed;
  private ByteView key;
  private ByteView value;
  private java.time.Instant expiresAt;
  private boolean closed;

  TransactionCursor(SettTransaction owner, Cursor snapshot, NavigableMap<byte[], byte[]> ownWrites, KeyRange range,
      TransactionReads.Scan scan) {
    this.owner = owner;
    this.snapshot = snapshot;
    this.reverse = range.isReverse();
    NavigableMap<byte[], byte[]> inRange = within(ownWrites, range);
    // A copy: the transaction may go on writing while the cursor is open (a TreeMap's own iterator
    // would then throw), and what a cursor shows should not depend on where it stands.
    // The entries are copied too: a TreeMap's entry shows a later put of its key.
    java.util.List<Map.Entry<byte[], byte[]>> copy = new java.util.ArrayList<>(inRange.size());
    for (Map.Entry<byte[], byte[]> e : (reverse ? inRange.descendingMap() : inRange).entrySet()) {
      copy.add(Map.entry(e.getKey(), e.getValue()));
    }
    this.own = copy.iterator();
    this.scan = scan;
  }

  private static NavigableMap<byte[], byte[]> within(NavigableMap<byte[], byte[]> writes, KeyRange range) {
    byte[] from = range.lowerBound();
    byte[] to = range.upperBound();
    NavigableMap<byte[], byte[]> m = writes;
    if (from != null) {
      m = m.tailMap(from, true);
    }
    if (to != null) {
      m = m.headMap(to, false);
    }
    return m;
  }

  @Override
  public boolean next() {
    if (closed) {
      throw new StoreClosedException("this cursor is closed");
    }
    owner.checkActive();
    for (;;) {
      if (ownNext == null && own.hasNext()) {
        ownNext = own.next();
      }
      if (!snapshotPeeked) {
        snapshotHas = snapshot.next();
        snapshotKey = null;
        snapshotPeeked = true;
      }
      if (!snapshotHas && ownNext == null) {
        key = null;
        value = null;
        if (scan != null) {
          scan.exhausted(snapshotConsumed);
        }
        return false;
      }
      int order = !snapshotHas ? 1 : ownNext == null ? -1 : compare(snapshotKey(), ownNext.getKey());
      if (order < 0) {
        snapshotPeeked = false;
        snapshotConsumed++;
        expiresAt = snapshot.expiresAt();
        return emit(snapshot.key(), snapshot.value());
      }
      if (order == 0) {
        // The transaction's write replaces (or deletes) the snapshot's entry.
        snapshotPeeked = false;
        snapshotConsumed++;
      }
      Map.Entry<byte[], byte[]> w = ownNext;
      ownNext = null;
      if (w.getValue() != SettTransaction.DELETED) {
        expiresAt = null;
        return emit(new HeapView(owner, w.getKey()), new HeapView(owner, w.getValue()));
      }
    }
  }

  private boolean emit(ByteView k, ByteView v) {
    key = k;
    value = v;
    if (scan != null) {
      scan.walkedTo(k, snapshotConsumed);
    }
    return true;
  }

  private byte[] snapshotKey() {
    if (snapshotKey == null) {
      snapshotKey = snapshot.key().toByteArray();
    }
    return snapshotKey;
  }

  /** Key order in the cursor's direction. */
  private int compare(byte[] a, byte[] b) {
    int c = Arrays.compareUnsigned(a, b);
    return reverse ? -c : c;
  }

  @Override
  public ByteView key() {
    return current(key);
  }

  @Override
  public ByteView value() {
    return current(value);
  }

  @Override
  public java.time.Instant expiresAt() {
    current(value);
    return expiresAt;
  }

  private ByteView current(ByteView v) {
    return SnapshotCursor.current(closed, v);
  }

  @Override
  public void close() {
    closed = true;
    key = null;
    value = null;
    snapshot.close();
  }
}
