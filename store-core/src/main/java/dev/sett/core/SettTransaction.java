package dev.sett.core;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyRange;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.StoreClosedException;
import dev.sett.api.Transaction;
import dev.sett.api.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Transaction}: a snapshot to read at, a sorted buffer of its writes, and the record of its
 * reads that the commit checks ({@link TransactionReads}). Reads go through the snapshot, so values
 * are zero-copy views of the mapping, pinned until the transaction closes; the transaction's own
 * writes read back as views of its private copies ({@link HeapView}).
 *
 * <p>One thread at a time; views may be read from any thread while the transaction is open.
 */
final class SettTransaction implements Transaction {
  /** Marks a buffered delete; compared by identity. */
  static final byte[] DELETED = new byte[0];

  private final SettStore store;
  private final SettSnapshot snapshot;
  private final boolean readOnly;
  /** Null for a read-only transaction: nothing to check, so nothing is recorded. */
  private final TransactionReads reads;
  private final TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);
  /** The ttl of each buffered put given one; a later write of the key without a ttl removes it. */
  private final TreeMap<byte[], java.time.Duration> ttls = new TreeMap<>(Arrays::compareUnsigned);
  private final List<TransactionCursor> cursors = new ArrayList<>();
  private boolean ended;
  private volatile boolean closed;

  SettTransaction(SettStore store, SettSnapshot snapshot, boolean readOnly) {
    this.store = store;
    this.snapshot = snapshot;
    this.readOnly = readOnly;
    this.reads = readOnly ? null : new TransactionReads();
  }

  // ---- state ------------------------------------------------------------------------------------

  /** Throws unless reads and writes are still allowed. */
  void checkActive() {
    if (closed) {
      throw new StoreClosedException("this transaction is closed; begin a new one with Store.beginTransaction");
    }
    if (ended) {
      throw new StoreClosedException("this transaction has committed (or failed to); begin a new one for"
          + " more reads and writes");
    }
    snapshot.checkOpen();
  }

  /** The check views make: usable until the transaction closes (or the store does). */
  void checkViewsUsable() {
    if (closed) {
      throw new StoreClosedException("this transaction is closed, and the views it returned with it; copy"
          + " what you need (toByteArray) before closing it");
    }
    snapshot.checkNotClosed();
  }

  boolean isActive() {
    return !ended && !closed;
  }

  private void checkWritable() {
    if (readOnly) {
      throw new ReadOnlyStoreException("this transaction was begun read-only; use Store.beginTransaction"
          + " to write");
    }
    store.checkWritable();
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public ByteView get(byte[] key) {
    checkActive();
    store.checks().key(key);
    byte[] own = writes.get(key);
    if (own != null) {
      return own == DELETED ? null : new HeapView(this, own);
    }
    ByteView v = snapshot.get(key);
    if (reads != null) {
      reads.point(key, v != null);
    }
    return v;
  }

  @Override
  public boolean contains(byte[] key) {
    return get(key) != null;
  }

  @Override
  public Cursor scan(KeyRange range) {
    checkActive();
    if (range == null) {
      throw new InvalidInputException("range must not be null; use KeyRange.all()");
    }
    TransactionCursor c = new TransactionCursor(this, snapshot.scan(range), writes, range,
        reads == null ? null : reads.scan(range));
    cursors.add(c);
    return c;
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  public void put(byte[] key, byte[] value) {
    checkActive();
    checkWritable();
    store.checks().newKey(key);
    store.checks().value(value);
    buffer(key, value.clone(), null);
  }

  @Override
  public void put(byte[] key, byte[] value, java.time.Duration ttl) {
    checkActive();
    checkWritable();
    store.checks().newKey(key);
    store.checks().value(value);
    InputChecks.ttl(ttl);
    buffer(key, value.clone(), ttl);
  }

  @Override
  public void delete(byte[] key) {
    checkActive();
    checkWritable();
    store.checks().key(key);
    buffer(key, DELETED, null);
  }

  private void buffer(byte[] key, byte[] value, java.time.Duration ttl) {
    byte[] k = key.clone();
    writes.put(k, value);
    if (ttl != null) {
      ttls.put(k, ttl);
    } else {
      ttls.remove(k);
    }
  }

  @Override
  public boolean putIfAbsent(byte[] key, byte[] value) {
    checkActive();
    checkWritable();
    store.checks().newKey(key);
    store.checks().value(value);
    if (get(key) != null) {
      return false;
    }
    buffer(key, value.clone(), null);
    return true;
  }

  @Override
  public boolean replace(byte[] key, byte[] expected, byte[] value) {
    checkActive();
    checkWritable();
    store.checks().newKey(key);
    InputChecks.expected(expected);
    store.checks().value(value);
    ByteView current = get(key);
    if (current == null || !current.contentEquals(expected)) {
      return false;
    }
    buffer(key, value.clone(), null);
    return true;
  }

  @Override
  public boolean delete(byte[] key, byte[] expected) {
    checkActive();
    checkWritable();
    store.checks().key(key);
    InputChecks.expected(expected);
    ByteView current = get(key);
    if (current == null || !current.contentEquals(expected)) {
      return false;
    }
    buffer(key, DELETED, null);
    return true;
  }

  // ---- end --------------------------------------------------------------------------------------

  @Override
  public long sequence() {
    return snapshot.sequence();
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public void commit() {
    checkActive();
    ended = true;
    if (writes.isEmpty()) {
      return;
    }
    WriteBatch batch = new WriteBatch();
    for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
      java.time.Duration ttl = ttls.get(w.getKey());
      if (w.getValue() == DELETED) {
        batch.delete(w.getKey());
      } else if (ttl != null) {
        batch.put(w.getKey(), w.getValue(), ttl);
      } else {
        batch.put(w.getKey(), w.getValue());
      }
    }
    store.commit(batch, reads, snapshot.sequence());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ended = true;
    for (TransactionCursor c : cursors) {
      c.close();
    }
    cursors.clear();
    writes.clear();
    ttls.clear();
    snapshot.close();
  }

  @Override
  public String toString() {
    return "Transaction[sequence " + snapshot.sequence() + (readOnly ? ", read-only" : "") + ", "
        + writes.size() + " writes, " + (closed ? "closed]" : ended ? "ended]" : "open]");
  }
}
