package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SegmentScanTest {
  private static final int SIZE = 32 << 20;

  /** A segment of {@value #SIZE} bytes holding {@code records} committed puts and then one unfinished batch. */
  private static Segment segment(int records) {
    Segment s = new Segment(1, Path.of("1.seg"), new HeapRegion(new byte[SIZE], SIZE), SegmentFormat.HEADER_SIZE,
        Segment::unmap);
    for (int i = 0; i < records; i++) {
      s.append(SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, key(i), new byte[24], i + 1, Position.NONE);
    }
    s.append(SegmentFormat.TYPE_PUT, (byte) 0, key(records), new byte[24], records + 1, Position.NONE);
    return s;
  }

  private static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aScanListsEveryCommittedRecordAndDropsTheUnfinishedBatch() {
    Segment s = segment(5_000);
    SegmentScan scan = SegmentScan.of(s, s.end());
    assertEquals(5_000, scan.entries.size());
    assertEquals(1, scan.uncommitted);
    for (int i = 0; i < 5_000; i++) {
      assertArrayEquals(key(i), scan.entries.key(i), "entry " + i);
      assertEquals(i + 1, scan.entries.sequence(i), "entry " + i);
    }
  }

  @Test
  void aScanOfALiveSegmentSizesItsEntriesOnceForWhatTheSegmentHolds() {
    Segment s = segment(20_000);
    SegmentScan scan = SegmentScan.of(s, s.end());
    assertEquals(20_000, scan.entries.size());
    int capacity = scan.entries.capacity();
    // Doubling from 256 would end at 32,768; the estimate is a little over what the records need.
    assertTrue(capacity >= 20_000 && capacity < 30_000,
        "sized from the first records' average for the data end, not doubled past it: " + capacity);
  }

  @Test
  void aScanWhoseDataEndIsUnknownDoesNotSizeItsEntriesForTheWholeSegment() {
    Segment s = segment(1_000);
    s.setEnd(SegmentFormat.HEADER_SIZE); // as recovery finds a segment: where its data ends is what it scans for
    SegmentScan scan = SegmentScan.of(s, SegmentFormat.HEADER_SIZE, SIZE);
    assertEquals(1_000, scan.entries.size());
    // Extrapolated to the segment's 32 MiB, the arrays would hold about 450,000 entries.
    assertTrue(scan.entries.capacity() <= 4_096, "capacity " + scan.entries.capacity());
  }
}
