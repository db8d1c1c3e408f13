package dev.sett.core;

import java.util.List;

/**
 * The live segments by id, read without locks (an immutable {@link SegmentMap} replaced on every
 * change). A segment that is not in the table may still be mapped while snapshots pin it, but no
 * new reader can reach it.
 *
 * <p>Thread-safe: {@link #get} and {@link #all} from any thread; changes are serialised here.
 */
final class SegmentTable {
  private volatile SegmentMap map = SegmentMap.EMPTY;

  Segment get(int id) {
    return id < 0 ? null : map.get(id);
  }

  synchronized void add(Segment segment) {
    map = map.with(segment);
  }

  synchronized Segment remove(int id) {
    Segment removed = map.get(id);
    map = map.without(id);
    return removed;
  }

  /** The live segments in id order (an unmodifiable list). */
  List<Segment> all() {
    return map.values();
  }

  /** Tests: slots of the lookup table, bounded by the live segment count. */
  int capacity() {
    return map.capacity();
  }
}
