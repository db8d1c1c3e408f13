package dev.sett.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The live segments by id, read without locks (copy-on-write array indexed by id). A segment that
 * is not in the table may still be mapped while snapshots pin it, but no new reader can reach it.
 */
final class SegmentTable {
  private volatile Segment[] byId = new Segment[16];

  Segment get(int id) {
    Segment[] a = byId;
    return id >= 0 && id < a.length ? a[id] : null;
  }

  synchronized void add(Segment segment) {
    Segment[] a = byId;
    int id = segment.id();
    if (id >= a.length) {
      a = Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
    } else {
      a = a.clone();
    }
    a[id] = segment;
    byId = a;
  }

  synchronized Segment remove(int id) {
    Segment[] a = byId;
    if (id >= a.length || a[id] == null) {
      return null;
    }
    Segment removed = a[id];
    a = a.clone();
    a[id] = null;
    byId = a;
    return removed;
  }

  /** The live segments in id order. */
  List<Segment> all() {
    Segment[] a = byId;
    List<Segment> out = new ArrayList<>();
    for (Segment s : a) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
}
