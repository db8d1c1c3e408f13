package dev.sett.core;

import dev.sett.api.BackgroundTaskStats;
import dev.sett.api.SegmentStats;
import dev.sett.api.StoreStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a store's segments up into a {@link StoreStats}. Stateless; the caller holds the write lock,
 * so that the segments, their liveness and the index's figures are of one moment.
 */
final class StoreFigures {
  private StoreFigures() {
  }

  static StoreStats collect(List<Segment> segments, Segment active, long nowMillis, long liveKeys, long lastSequence,
      long indexBytes, int openSnapshots, Compactor compactor, List<BackgroundTaskStats> tasks, long retainedBytes) {
    List<SegmentStats> perSegment = new ArrayList<>(segments.size());
    long disk = 0;
    long data = 0;
    long live = 0;
    long dead = 0;
    long tombstones = 0;
    long bitmaps = 0;
    for (Segment s : segments) {
      SegmentLiveness l = s.liveness();
      l.refreshExpired(nowMillis); // expired records count as dead: compaction may drop them
      long segmentLive = l.liveBytes() - l.expiredBytes();
      disk += s.size();
      data += l.bytes();
      live += segmentLive;
      dead += l.reclaimableBytes();
      tombstones += l.tombstoneBytes();
      bitmaps += l.bitmapBytes();
      perSegment.add(new SegmentStats(s.id(), s.size(), l.bytes(), l.records(), l.reclaimableRecords(), segmentLive,
          l.reclaimableBytes(), l.tombstones(), l.tombstoneBytes(), s == active));
    }
    return new StoreStats(segments.size(), disk, data, liveKeys, live, dead, tombstones, lastSequence,
        indexBytes + bitmaps, openSnapshots, compactor.runs(), compactor.bytesReclaimed(), compactor.nanos(),
        perSegment, tasks, retainedBytes);
  }
}
