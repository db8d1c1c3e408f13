package dev.sett.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable map from segment id to segment, sized by the number of segments it holds, not by
 * their ids: ids only grow over a store's life (compaction writes into new segments and retires old
 * ones), so an array indexed by id grew with history while the live segments stayed few.
 *
 * <p>Open addressing with linear probing on {@code id & mask}; consecutive ids (the usual case)
 * land in consecutive slots. A change builds a new map (copy-on-write), which is fine for the rate
 * segments come and go (a roll, a compaction) and keeps {@link #get} a lock-free probe.
 *
 * <p>Immutable and thread-safe.
 */
final class SegmentMap {
  static final SegmentMap EMPTY = new SegmentMap(new Segment[0]);

  private final Segment[] slots;
  private final int mask;
  private final Segment[] byId;

  private SegmentMap(Segment[] sortedById) {
    this.byId = sortedById;
    int capacity = 4;
    while (capacity < 2 * sortedById.length) {
      capacity <<= 1;
    }
    this.slots = new Segment[capacity];
    this.mask = capacity - 1;
    for (Segment s : sortedById) {
      int i = s.id() & mask;
      while (slots[i] != null) {
        i = (i + 1) & mask;
      }
      slots[i] = s;
    }
  }

  /** A map of {@code segments} (distinct ids). */
  static SegmentMap of(List<Segment> segments) {
    Segment[] sorted = segments.toArray(new Segment[0]);
    Arrays.sort(sorted, (a, b) -> Integer.compare(a.id(), b.id()));
    return new SegmentMap(sorted);
  }

  /** The segment with {@code id}, or null. */
  Segment get(int id) {
    for (int i = id & mask;; i = (i + 1) & mask) {
      Segment s = slots[i];
      if (s == null || s.id() == id) {
        return s;
      }
    }
  }

  /** A map with {@code segment} added (replacing one with the same id). */
  SegmentMap with(Segment segment) {
    Segment[] next = Arrays.copyOf(byId, byId.length + 1);
    int n = 0;
    for (Segment s : byId) {
      if (s.id() != segment.id()) {
        next[n++] = s;
      }
    }
    next[n++] = segment;
    next = Arrays.copyOf(next, n);
    Arrays.sort(next, (a, b) -> Integer.compare(a.id(), b.id()));
    return new SegmentMap(next);
  }

  /** A map without the segment {@code id} (this map if it has none). */
  SegmentMap without(int id) {
    if (get(id) == null) {
      return this;
    }
    Segment[] next = new Segment[byId.length - 1];
    int n = 0;
    for (Segment s : byId) {
      if (s.id() != id) {
        next[n++] = s;
      }
    }
    return new SegmentMap(next);
  }

  /** The segments in id order (unmodifiable). */
  List<Segment> values() {
    return Collections.unmodifiableList(Arrays.asList(byId));
  }

  int size() {
    return byId.length;
  }

  /** Slots of the probe table: bounded by the number of segments, whatever their ids. */
  int capacity() {
    return slots.length;
  }
}
