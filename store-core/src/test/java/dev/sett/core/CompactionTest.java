package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.CompactionResult;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.SegmentStats;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  private static final int SEGMENT = 64 << 10;
  private static final StoreOptions MANUAL = StoreOptions.builder().segmentSize(SEGMENT).autoCompaction(false).build();

  @TempDir Path dir;

  private static byte[] value(int key, int version) {
    byte[] v = new byte[900];
    Arrays.fill(v, (byte) (key * 31 + version));
    return v;
  }

  private static void fill(Store s, int keys, int version) {
    for (int k = 0; k < keys; k++) {
      s.put(b("key" + k), value(k, version));
    }
  }

  private static void assertAll(Store s, int keys, int version) {
    for (int k = 0; k < keys; k++) {
      assertArrayEquals(value(k, version), s.get(b("key" + k)), "key" + k);
    }
  }

  @Test
  void overwrittenDataIsReclaimedAndEveryValueSurvives() throws Exception {
    try (Store s = Sett.open(dir, MANUAL)) {
      for (int version = 0; version < 5; version++) {
        fill(s, 200, version);
      }
      StoreStats before = s.stats();
      assertTrue(before.deadBytes() > 3 * before.liveBytes());
      java.util.List<Integer> plan = s.compactionPlan(false);
      assertEquals(before.segments().size(), s.stats().segments().size(), "a plan changes nothing");
      CompactionResult r = s.compact();
      assertEquals(plan.size(), r.segmentsCompacted(), "the plan named what the run took");
      assertTrue(r.segmentsCompacted() > 5, r.toString());
      assertTrue(r.recordsDropped() > 500, r.toString());
      StoreStats after = s.stats();
      assertTrue(after.segmentCount() < before.segmentCount() / 2, before.segmentCount() + " -> " + after.segmentCount());
      assertEquals(1, after.compactionsRun());
      assertEquals(r.bytesReclaimed(), after.bytesReclaimed());
      assertTrue(after.spaceAmplification() < 2.5, "amplification " + after.spaceAmplification());
      assertAll(s, 200, 4);
    }
    assertEquals(segmentFiles(dir).size(), StoreTestSupport.hintFiles(dir).size(),
        "after a clean close every segment has a hint, and no hint is left without its segment");
    try (Store s = Sett.open(dir, MANUAL)) {
      assertAll(s, 200, 4);
      assertEquals(200, s.stats().liveKeys());
    }
  }

  @Test
  void retiredSegmentFilesAreDeleted() throws Exception {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      fill(s, 200, 1);
      int files = segmentFiles(dir).size();
      s.compact(true);
      assertTrue(segmentFiles(dir).size() < files, files + " -> " + segmentFiles(dir).size());
      for (SegmentStats seg : s.stats().segments()) {
        assertTrue(Files.exists(dir.resolve(SegmentFormat.segmentFileName(seg.id()))));
      }
    }
    StoreTestSupport.assertNothingMapped(dir);
  }

  @Test
  void theActiveSegmentIsSealedAndCompactedWhenItIsTheMostWasteful() {
    StoreOptions big = MANUAL.toBuilder().segmentSize(1 << 20).build();
    try (Store s = Sett.open(dir, big)) {
      // 60 versions of 936 bytes: they fit in the store's first segment, which is 64 KiB whatever
      // segmentSize is (segments grow), and 59 of them are dead.
      for (int i = 0; i < 60; i++) {
        s.put(b("hot"), value(1, i));
      }
      StoreStats before = s.stats();
      assertEquals(1, before.segmentCount());
      assertTrue(before.segments().get(0).active());
      CompactionResult r = s.compact();
      assertEquals(1, r.segmentsCompacted());
      assertEquals(1, r.recordsCopied());
      StoreStats after = s.stats();
      assertEquals(1, after.segmentCount());
      assertTrue(after.segments().get(0).id() > before.segments().get(0).id(), "a new active segment");
      assertArrayEquals(value(1, 59), s.get(b("hot")));
    }
  }

  @Test
  void tombstonesAreDroppedOnceNothingOlderRemains() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      for (int k = 0; k < 200; k++) {
        s.delete(b("key" + k));
      }
      s.compact(true);
      s.compact(true);
      StoreStats st = s.stats();
      assertEquals(0, st.liveKeys());
      assertEquals(0, st.tombstoneBytes(), st.toString());
      assertEquals(0, st.dataBytes(), "nothing left on disk: " + st);
      try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
        assertFalse(c.next());
      }
    }
    try (Store s = Sett.open(dir, MANUAL)) {
      for (int k = 0; k < 200; k++) {
        assertNull(s.get(b("key" + k)), "key" + k + " came back");
      }
    }
  }

  @Test
  void tombstonesFoundAtOpenAreDroppedOnceNothingOlderRemains() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      for (int k = 0; k < 200; k += 2) {
        s.delete(b("key" + k));
      }
    }
    // The index now comes from the files: the keys whose newest record is a tombstone must be known
    // as such without compaction reading them, or their tombstones would stay for ever.
    try (Store s = Sett.open(dir, MANUAL)) {
      s.compact(true);
      s.compact(true);
      StoreStats st = s.stats();
      assertEquals(100, st.liveKeys());
      assertEquals(0, st.tombstoneBytes(), st.toString());
      for (int k = 0; k < 200; k++) {
        assertEquals(k % 2 == 0, s.get(b("key" + k)) == null, "key" + k);
      }
    }
  }

  @Test
  void aTombstoneStaysWhileAnOlderValueIsOnDisk() {
    // Tiny segments would all count as "small" and join every run: keep the thresholds only.
    StoreOptions thresholdsOnly = MANUAL.toBuilder().compactionInclude(0.4, 0).build();
    try (Store s = Sett.open(dir, thresholdsOnly)) {
      s.put(b("victim"), value(0, 0));
      for (int k = 0; k < 60; k++) {
        s.put(b("stable" + k), value(k, 0));
      }
      for (int k = 0; k < 50; k++) {
        s.put(b("churn" + k), value(k, 0));
      }
      s.delete(b("victim"));
      for (int version = 1; version < 4; version++) {
        for (int k = 0; k < 50; k++) {
          s.put(b("churn" + k), value(k, version));
        }
      }
      CompactionResult r = s.compact();
      assertTrue(r.segmentsCompacted() > 0, r.toString());
      assertTrue(s.stats().segments().stream().anyMatch(seg -> seg.id() == 1),
          "the first segment, mostly live, holds the old value and is not compacted");
      assertFalse(s.stats().segments().stream().anyMatch(seg -> seg.id() == 2),
          "the segment holding the tombstone was compacted");
      assertNull(s.get(b("victim")));
    }
    try (Store s = Sett.open(dir, MANUAL)) {
      assertNull(s.get(b("victim")), "the deleted value came back after compaction and reopen");
      assertArrayEquals(value(59, 0), s.get(b("stable59")));
    }
  }

  @Test
  void aViewTakenBeforeCompactionStillReadsItsBytesUntilItsSnapshotCloses() throws Exception {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      Snapshot snap = s.snapshot();
      ByteView old = snap.get(b("key7"));
      Path firstSegment = segmentFiles(dir).get(0);
      fill(s, 200, 1);
      s.compact(true);
      assertFalse(s.stats().segments().stream().anyMatch(seg -> seg.id() == 1), "segment 1 was retired");
      assertTrue(Files.exists(firstSegment), "but not deleted while the snapshot can reach it");
      assertArrayEquals(value(7, 0), old.toByteArray());
      assertArrayEquals(value(7, 0), snap.get(b("key7")).toByteArray());
      assertArrayEquals(value(7, 1), s.get(b("key7")));
      snap.close();
      assertFalse(Files.exists(firstSegment), "deleted once the snapshot closed");
      assertThrows(dev.sett.api.StoreClosedException.class, old::toByteArray);
    }
  }

  @Test
  void aSnapshotOlderThanADeleteKeepsSeeingTheValue() {
    try (Store s = Sett.open(dir, MANUAL)) {
      s.put(b("k"), value(1, 1));
      fill(s, 100, 0);
      try (Snapshot snap = s.snapshot()) {
        s.delete(b("k"));
        fill(s, 100, 1);
        s.compact(true);
        s.compact(true);
        assertArrayEquals(value(1, 1), snap.get(b("k")).toByteArray());
        assertNull(s.get(b("k")));
      }
      s.compact(true);
      s.compact(true);
      assertEquals(0, s.stats().tombstoneBytes());
    }
  }

  @Test
  void nothingToDoIsReportedAsNothing() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 50, 0);
      CompactionResult r = s.compact();
      assertEquals(0, r.segmentsCompacted());
      assertEquals(0, s.stats().compactionsRun());
    }
  }

  @Test
  void aReadOnlyStoreRefusesToCompact() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 10, 0);
    }
    try (Store s = Sett.open(dir, MANUAL.toBuilder().readOnly(true).build())) {
      assertThrows(ReadOnlyStoreException.class, s::compact);
    }
  }

  @Test
  void perSegmentStatsAddUp() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      fill(s, 100, 1);
      s.delete(b("key150"));
      StoreStats st = s.stats();
      long live = 0;
      long dead = 0;
      long data = 0;
      int active = 0;
      for (SegmentStats seg : st.segments()) {
        live += seg.liveBytes();
        dead += seg.deadBytes();
        data += seg.dataBytes();
        active += seg.active() ? 1 : 0;
        assertEquals(seg.dataBytes(), seg.liveBytes() + seg.deadBytes() + seg.tombstoneBytes());
      }
      assertEquals(1, active);
      assertEquals(st.liveBytes(), live);
      assertEquals(st.deadBytes(), dead);
      assertEquals(st.dataBytes(), data);
      assertEquals(199, st.liveKeys());
      assertEquals(recordBytes(0, 100) + recordBytes(150, 151), dead, "100 overwritten values and the deleted one");
      assertEquals(SegmentFormat.recordSize(6, 0), st.tombstoneBytes());
    }
  }

  @Test
  void backgroundCompactionKeepsAnOverwriteWorkloadBounded() throws Exception {
    StoreOptions auto = StoreOptions.builder().segmentSize(SEGMENT).build();
    try (Store s = Sett.open(dir, auto)) {
      for (int version = 0; version < 30; version++) {
        fill(s, 100, version);
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (s.stats().spaceAmplification() > 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      StoreStats st = s.stats();
      assertTrue(st.compactionsRun() > 0, st.toString());
      assertTrue(st.spaceAmplification() <= 3, "amplification " + st.spaceAmplification());
      assertAll(s, 100, 29);
    }
  }

  @Test
  void compactionAfterReopenFindsTheSameGarbage() {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 200, 0);
      fill(s, 200, 1);
      s.delete(b("key3"));
    }
    long dead;
    long tomb;
    try (Store s = Sett.open(dir, MANUAL)) {
      dead = s.stats().deadBytes();
      tomb = s.stats().tombstoneBytes();
      assertEquals(recordBytes(0, 200) + recordBytes(3, 4), dead, "liveness rebuilt on open");
      assertEquals(SegmentFormat.recordSize(4, 0), tomb);
      s.compact(true);
      assertValue(null, s.get(b("key3")));
      assertAll199(s);
    }
  }

  /** Bytes of the records of keys {@code from} (inclusive) to {@code to} (exclusive) with 900-byte values. */
  private static long recordBytes(int from, int to) {
    long sum = 0;
    for (int k = from; k < to; k++) {
      sum += SegmentFormat.recordSize(("key" + k).length(), 900);
    }
    return sum;
  }

  private static void assertAll199(Store s) {
    for (int k = 0; k < 200; k++) {
      if (k != 3) {
        assertArrayEquals(value(k, 1), s.get(b("key" + k)), "key" + k);
      }
    }
  }

  @Test
  void writesRacingCompactionAreNeverUndone() throws Exception {
    try (Store s = Sett.open(dir, MANUAL)) {
      fill(s, 100, 0);
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread compactor = new Thread(() -> {
        while (!stop.get()) {
          s.compact(true);
        }
      });
      compactor.start();
      int[] last = new int[100];
      try {
        for (int version = 1; version <= 40; version++) {
          for (int k = 0; k < 100; k += 1 + (version % 3)) {
            s.put(b("key" + k), value(k, version));
            last[k] = version;
          }
        }
      } finally {
        stop.set(true);
        compactor.join();
      }
      assertTrue(s.stats().compactionsRun() > 0);
      for (int k = 0; k < 100; k++) {
        assertArrayEquals(value(k, last[k]), s.get(b("key" + k)), "key" + k + " lost its last write");
      }
    }
  }

  @Test
  void aBatchDeleteOfAnAbsentKeyLeavesNothingBehind() {
    try (Store s = Sett.open(dir, MANUAL)) {
      s.write(new dev.sett.api.WriteBatch().put(b("a"), b("1")).delete(b("never-written")));
      assertEquals(0, s.stats().tombstoneBytes(), "a tombstone that shadows nothing is dead at once");
      s.compact(true);
      assertEquals(1, s.stats().liveKeys());
      assertEquals(SegmentFormat.recordSize(1, 1), s.stats().dataBytes(), "the tombstone was dropped, not copied");
    }
  }
  /**
   * Compaction moves records under the write lock in chunks; a put that arrives meanwhile gets the
   * lock after the record being moved, not after the chunk. Here a writer overwrites keys without
   * pause while a compaction of many garbage-filled segments runs: chunks are cut short for it, and
   * every one of its writes and every compacted record is intact.
   */
  @Test
  void aWaitingWriterCutsACompactionChunkShort() throws Exception {
    try (Store s = Sett.open(dir, MANUAL.toBuilder().segmentSize(1 << 20).build())) {
      Compactor compactor = ((SettStore) s).compactor();
      java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
      // Whether the writer is queued on the lock at the moment a chunk checks is up to the scheduler:
      // on two busy cores one run can miss it (seen once in a full suite on JDK 25). Up to three
      // runs; a compactor that never gives way fails all of them.
      for (int round = 0; round < 3 && compactor.chunksCutForWriters() == 0; round++) {
        for (int version = 0; version < 4; version++) {
          fill(s, 4_000, 4 * round + version);
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writerThread = new Thread(() -> {
          while (!stop.get()) {
            int i = written.getAndIncrement();
            s.put(b("w" + (i % 500)), b("x" + i));
          }
        });
        writerThread.start();
        CompactionResult result;
        try {
          result = s.compact();
        } finally {
          stop.set(true);
          writerThread.join();
        }
        assertTrue(result.segmentsCompacted() > 0, result.toString());
        assertAll(s, 4_000, 4 * round + 3);
        int last = written.get() - 1;
        assertArrayEquals(b("x" + last), s.get(b("w" + (last % 500))));
      }
      assertTrue(compactor.chunksCutForWriters() > 0,
          "no chunk gave way although a writer wrote " + written.get() + " times during three compactions");
    }
  }

}
