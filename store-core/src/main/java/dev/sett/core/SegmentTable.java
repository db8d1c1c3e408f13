package dev.sett.core;

import java.util.List;

/**
 * The live segments by id, read without locks: an immutable {@link SegmentMap} replaced on every
 * change (once per roll or compaction), so its size follows the live segments, not the highest id
 * ever created. A segment that is not in the table may still be mapped while snapshots pin it, but
 * no new reader can reach it.
 */
final class SegmentTable {
  private volatile SegmentMap byId = SegmentMap.EMPTY;

  /** On the read path: one volatile load and, almost always, one probe. */
  Segment get(int id) {
    return byId.get(id);
  }

  synchronized void add(Segment segment) {
    byId = byId.with(segment);
  }

  synchronized Segment remove(int id) {
    SegmentMap m = byId;
    Segment removed = m.get(id);
    if (removed != null) {
      byId = m.without(id);
    }
    return removed;
  }

  /** The length of the table's array (for tests): a small multiple of the live segments. */
  int capacity() {
    return byId.capacity();
  }

  /** The live segments in id order (an unmodifiable list). */
  List<Segment> all() {
    return byId.inIdOrder();
  }
}
