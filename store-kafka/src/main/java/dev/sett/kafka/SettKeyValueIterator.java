package dev.sett.kafka;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A range of a Kafka store: the committed entries of a Sett snapshot merged with the pending
 * writes of the generation that was current when the iterator was opened (a pending delete hides
 * the committed entry; a pending put replaces it). Keys and values are copied out of the mapping
 * as each entry is returned, since Kafka hands them to code that keeps them.
 *
 * <p>The snapshot holds the segments it reads until {@link #close}; the store closes every
 * iterator still open when it closes, and an iterator the application dropped without closing is
 * closed once the garbage collector finds it unreachable (see {@link SettKeyValueStore}), so a
 * forgotten iterator cannot hold disk space for ever.
 *
 * <p>Single-threaded, as Kafka's iterators are; {@link #close} is idempotent.
 */
final class SettKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
  private final Cleaner.Cleanable cleanable;
  private final Cursor cursor;
  private final Iterator<Map.Entry<Bytes, byte[]>> pending;
  private final boolean reverse;
  private final Resources resources;
  private Map.Entry<Bytes, byte[]> pendingHead;
  private Bytes committedKey;
  private byte[] committedValue;
  private KeyValue<Bytes, byte[]> next;
  private boolean closed;

  /**
   * What closing the iterator releases, and the store's record of it as open: shared with the
   * cleaner, so it must not reach the iterator. Runs at most once.
   */
  static final class Resources implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SettKeyValueIterator.class);
    final Snapshot snapshot;
    private final Set<Resources> open;
    private final String store;
    volatile Cursor cursor;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set when the iterator's user (or the store) closes it; unset when the cleaner does. */
    volatile boolean closedExplicitly;

    Resources(Snapshot snapshot, Set<Resources> open, String store) {
      this.snapshot = snapshot;
      this.open = open;
      this.store = store;
      open.add(this);
    }

    @Override
    public void run() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      if (!closedExplicitly) {
        LOG.warn("An iterator of state store {} was never closed; it was closed when the garbage collector"
            + " found it unreachable. Close every KeyValueIterator (try-with-resources) so that the store"
            + " can reclaim the space its snapshot holds.", store);
      }
      try {
        Cursor c = cursor;
        if (c != null) {
          c.close();
        }
      } finally {
        snapshot.close();
        open.remove(this);
      }
    }

    boolean released() {
      return released.get();
    }

    /** Closes on behalf of the store (the store is closing). */
    void closeForStore() {
      closedExplicitly = true;
      run();
    }
  }

  /**
   * Opens a cursor on {@code resources}' snapshot (which the iterator owns from now on, and closes)
   * over {@code range}, merged with {@code pendingRange}.
   */
  SettKeyValueIterator(Resources resources, Cleaner cleaner, KeyRange range,
      NavigableMap<Bytes, byte[]> pendingRange) {
    this.resources = resources;
    this.reverse = range.isReverse();
    try {
      this.cursor = resources.snapshot.scan(range);
    } catch (RuntimeException e) {
      resources.closeForStore();
      throw e;
    }
    resources.cursor = cursor;
    this.cleanable = cleaner.register(this, resources);
    this.pending = (reverse ? pendingRange.descendingMap() : pendingRange).entrySet().iterator();
    advancePending();
    advanceCommitted();
  }

  private void advancePending() {
    pendingHead = pending.hasNext() ? pending.next() : null;
  }

  private void advanceCommitted() {
    if (cursor.next()) {
      ByteView stored = cursor.key();
      byte[] key = new byte[stored.size() - 1];
      stored.copyTo(1, key, 0, key.length); // the Kafka key, without the key space's prefix byte
      committedKey = Bytes.wrap(key);
      committedValue = cursor.value().toByteArray();
    } else {
      committedKey = null;
      committedValue = null;
    }
  }

  /** Finds the next entry to return, if {@link #next} is empty; false at the end. */
  private boolean fill() {
    if (closed) {
      throw new IllegalStateException("this iterator is closed");
    }
    if (resources.released()) {
      throw new InvalidStateStoreException("state store " + resources.store + " was closed, and its iterators"
          + " with it");
    }
    while (next == null) {
      if (pendingHead == null && committedKey == null) {
        return false;
      }
      int c;
      if (pendingHead == null) {
        c = 1;
      } else if (committedKey == null) {
        c = -1;
      } else {
        c = pendingHead.getKey().compareTo(committedKey);
        if (reverse) {
          c = -c;
        }
      }
      if (c <= 0) {
        Map.Entry<Bytes, byte[]> p = pendingHead;
        advancePending();
        if (c == 0) {
          advanceCommitted(); // the pending write replaces or hides the committed entry
        }
        byte[] value = p.getValue();
        if (value != PendingWrites.DELETED) {
          next = KeyValue.pair(p.getKey(), value);
        }
      } else {
        next = KeyValue.pair(committedKey, committedValue);
        advanceCommitted();
      }
    }
    return true;
  }

  @Override
  public boolean hasNext() {
    return fill();
  }

  @Override
  public KeyValue<Bytes, byte[]> next() {
    if (!fill()) {
      throw new NoSuchElementException("no more entries in this range");
    }
    KeyValue<Bytes, byte[]> kv = next;
    next = null;
    return kv;
  }

  @Override
  public Bytes peekNextKey() {
    if (!fill()) {
      throw new NoSuchElementException("no more entries in this range");
    }
    return next.key;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    next = null;
    resources.closedExplicitly = true;
    cleanable.clean();
  }
}
