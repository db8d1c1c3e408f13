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
 * <p>Keys are taken from the ordered set {@value #AHEAD} at a time, and the hash slots and record
 * headers of the whole group are touched before the first is resolved: records sit in append order,
 * so each entry of a key-ordered scan is a cache miss, and this way the misses of a group overlap.
 *
 * <p>Single-threaded.
 */
final class SnapshotCursor implements Cursor {
  static final int AHEAD = 16;

  private final SettSnapshot snapshot;
  private final SettStore store;
  private final Iterator<byte[]> keys;
  private final ReadContext ctx = new ReadContext();
  private final byte[][] group = new byte[AHEAD][];
  private final int[] hashes = new int[AHEAD];
  private final long[] slots = new long[AHEAD];
  private int groupSize;
  private int groupNext;
  private long touched;
  private ByteView key;
  private ByteView value;
  private long expiresAt;
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
      for (;;) {
        if (groupNext == groupSize && !fill()) {
          key = null;
          value = null;
          return false;
        }
        byte[] k = group[groupNext];
        int h = hashes[groupNext];
        group[groupNext++] = null;
        if (Lookup.find(store.hashIndex(), k, h, snapshot, ctx)) {
          Segment s = ctx.segment;
          int off = ctx.offset;
          store.verifyIfAsked(s, off);
          key = snapshot.view(s, off + SegmentFormat.R_KEY, k.length);
          value = snapshot.view(s, s.valueOffset(off), s.valueLength(off));
          expiresAt = s.expiresAt(off);
          return true;
        }
      }
    } finally {
      epochs.exit(epoch);
    }
  }

  /** Takes the next group of keys and touches what resolving them will read; false at the end. */
  private boolean fill() {
    int n = 0;
    while (n < AHEAD && keys.hasNext()) {
      byte[] k = keys.next();
      group[n] = k;
      hashes[n] = KeyHash.hash(k);
      n++;
    }
    HashIndex.Table t = store.hashIndex().table();
    long[] slots = this.slots;
    for (int i = 0; i < n; i++) {
      slots[i] = Lookup.touchSlot(t, hashes[i]);
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Lookup.touchRecord(slots[i], snapshot);
    }
    touched += sum;
    groupSize = n;
    groupNext = 0;
    return n > 0;
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
    return SegmentDumper.instant(expiresAt);
  }

  private ByteView current(ByteView v) {
    return current(closed, v);
  }

  /** A cursor's current key or value {@code v}, or the exception a closed or unpositioned cursor throws. */
  static ByteView current(boolean closed, ByteView v) {
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

  @Override
  public String toString() {
    // Mentions what the prefetch loads summed to, so that the JIT cannot prove them unused.
    return "SnapshotCursor[" + (closed ? "closed" : "open") + ", " + (touched & 1) + "]";
  }
}
