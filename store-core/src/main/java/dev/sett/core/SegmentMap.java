package dev.sett.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable map from segment id to segment, sized by the segments it holds rather than by their
 * ids: segment ids only grow (every roll and every compaction output takes a new one), so after a
 * long life they are large while the live segments are few, and an array indexed by id would grow
 * without bound.
 *
 * <p>Open addressing with linear probing in a power-of-two table at most half full (so its length
 * is at most four times the segment count, and at least {@value #MIN_CAPACITY}); {@link #get} is a
 * multiplicative hash and, almost always, one probe. Changes build a new map, which is fine for the
 * segment table (it changes once per roll or compaction) and a snapshot's pins.
 */
final class SegmentMap {
  private static final int MIN_CAPACITY = 8;
  static final SegmentMap EMPTY = new SegmentMap(new Segment[0]);

  /** Open-addressing table; its length is a power of two, or zero for the empty map. */
  private final Segment[] table;
  /** The same segments in id order. */
  private final Segment[] ordered;

  private SegmentMap(Segment[] ordered) {
    this.ordered = ordered;
    if (ordered.length == 0) {
      this.table = ordered;
      return;
    }
    int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(ordered.length * 2 - 1) << 1);
    Segment[] t = new Segment[capacity];
    for (Segment s : ordered) {
      int i = slot(s.id(), capacity);
      while (t[i] != null) {
        i = (i + 1) & (capacity - 1);
      }
      t[i] = s;
    }
    this.table = t;
  }

  /** A map of {@code segments}, whose ids must be distinct. */
  static SegmentMap of(Collection<Segment> segments) {
    Segment[] a = segments.toArray(new Segment[0]);
    Arrays.sort(a, Comparator.comparingInt(Segment::id));
    for (int i = 1; i < a.length; i++) {
      if (a[i].id() == a[i - 1].id()) {
        throw new IllegalArgumentException("two segments with id " + a[i].id());
      }
    }
    return new SegmentMap(a);
  }

  private static int slot(int id, int capacity) {
    // Fibonacci hashing: spreads runs of consecutive ids, and ids a multiple of the capacity apart.
    return (id * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(capacity));
  }

  /** The segment with {@code id}, or null. */
  Segment get(int id) {
    Segment[] t = table;
    int capacity = t.length;
    if (capacity == 0) {
      return null;
    }
    int i = slot(id, capacity);
    for (Segment s; (s = t[i]) != null; i = (i + 1) & (capacity - 1)) {
      if (s.id() == id) {
        return s;
      }
    }
    return null;
  }

  /** This map with {@code segment} added, replacing any segment with its id. */
  SegmentMap with(Segment segment) {
    int id = segment.id();
    int at = Arrays.binarySearch(ids(), id);
    Segment[] a;
    if (at >= 0) {
      a = ordered.clone();
      a[at] = segment;
    } else {
      int insert = -at - 1;
      a = new Segment[ordered.length + 1];
      System.arraycopy(ordered, 0, a, 0, insert);
      a[insert] = segment;
      System.arraycopy(ordered, insert, a, insert + 1, ordered.length - insert);
    }
    return new SegmentMap(a);
  }

  /** This map without the segment with {@code id} (this map itself if it has none). */
  SegmentMap without(int id) {
    int at = Arrays.binarySearch(ids(), id);
    if (at < 0) {
      return this;
    }
    Segment[] a = new Segment[ordered.length - 1];
    System.arraycopy(ordered, 0, a, 0, at);
    System.arraycopy(ordered, at + 1, a, at, a.length - at);
    return a.length == 0 ? EMPTY : new SegmentMap(a);
  }

  private int[] ids() {
    int[] ids = new int[ordered.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ordered[i].id();
    }
    return ids;
  }

  int size() {
    return ordered.length;
  }

  /** The segments in id order (an unmodifiable view). */
  List<Segment> inIdOrder() {
    return Collections.unmodifiableList(Arrays.asList(ordered));
  }

  /** The length of the hash table's array (for tests). */
  int capacity() {
    return table.length;
  }
}
