package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The keys in unsigned lexicographic order, for range scans. Point reads never walk it (a skip list
 * lookup costs microseconds where the hash index costs nanoseconds); it changes only when a key is
 * first written or finally dropped, not on overwrites.
 *
 * <p>Thread-safe; iteration is weakly consistent, and a scan resolves each key against its snapshot,
 * so keys added after the snapshot are filtered out there.
 */
final class OrderedKeys {
  /** Heap bytes per entry beside the key bytes: skip-list node, index levels, array header. */
  static final int OVERHEAD_PER_KEY = 72;

  private final ConcurrentSkipListSet<byte[]> keys = new ConcurrentSkipListSet<>(Arrays::compareUnsigned);
  private long keyBytes;

  /** Adds a key the caller no longer modifies. Writer side. */
  void add(byte[] key) {
    if (keys.add(key)) {
      keyBytes += key.length;
    }
  }

  /** Writer side. */
  void remove(byte[] key) {
    if (keys.remove(key)) {
      keyBytes -= key.length;
    }
  }

  int size() {
    return keys.size();
  }

  long memoryBytes() {
    return keyBytes + (long) OVERHEAD_PER_KEY * keys.size();
  }

  /** Keys of {@code range} in its direction. */
  Iterator<byte[]> iterate(KeyRange range) {
    byte[] from = range.lowerBound();
    byte[] to = range.upperBound();
    NavigableSet<byte[]> view;
    if (from != null && to != null) {
      view = keys.subSet(from, true, to, false);
    } else if (from != null) {
      view = keys.tailSet(from, true);
    } else if (to != null) {
      view = keys.headSet(to, false);
    } else {
      view = keys;
    }
    return range.isReverse() ? view.descendingIterator() : view.iterator();
  }
}
