package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.hintFiles;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.CorruptionException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import dev.sett.api.VerifyReport;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  @TempDir Path dir;

  private Store open() {
    return Sett.open(dir, OPTIONS);
  }

  private Store open(StoreOptions options) {
    return Sett.open(dir, options);
  }

  /** Writes keys k0..k(n-1) with values v0..; with 1 KiB padding when {@code big}. */
  private void fill(Store s, int n, boolean big) {
    for (int i = 0; i < n; i++) {
      s.put(b("k" + i), big ? (("v" + i + ":").repeat(1)).concat("x".repeat(1000)).getBytes() : b("v" + i));
    }
  }

  @Test
  void reopenShowsEveryKindOfWrite() {
    try (Store s = open()) {
      fill(s, 300, true);
      s.put(b("k1"), b("overwritten"));
      s.delete(b("k2"));
      s.write(new WriteBatch().put(b("batch-a"), b("A")).delete(b("k3")).put(b("batch-b"), b("B")));
      s.put(b("empty"), new byte[0]);
    }
    try (Store s = open()) {
      assertValue("overwritten", s.get(b("k1")));
      assertNull(s.get(b("k2")));
      assertNull(s.get(b("k3")));
      assertTrue(s.stats().segmentCount() > 3);
      assertTrue(new String(s.get(b("k299"))).startsWith("v299:"));
      assertValue("A", s.get(b("batch-a")));
      assertValue("B", s.get(b("batch-b")));
      assertArrayEquals(new byte[0], s.get(b("empty")));
      assertEquals(300 - 2 + 3, s.stats().liveKeys());
      s.put(b("after-reopen"), b("ok"));
    }
    try (Store s = open()) {
      assertValue("ok", s.get(b("after-reopen")));
    }
  }

  @Test
  void sealedSegmentsGetHintFilesAndOpenWithoutThemGivesTheSameState() throws Exception {
    long liveBytes;
    try (Store s = open()) {
      fill(s, 300, true);
      s.delete(b("k7"));
      liveBytes = s.stats().liveBytes();
    }
    List<Path> hints = hintFiles(dir);
    assertEquals(segmentFiles(dir).size(), hints.size(), "after a clean close every segment has a hint");
    for (Path h : hints) {
      Files.delete(h);
    }
    try (Store s = open()) {
      assertEquals(liveBytes, s.stats().liveBytes());
      assertNull(s.get(b("k7")));
      assertTrue(new String(s.get(b("k8"))).startsWith("v8:"));
    }
    assertEquals(hints.size(), hintFiles(dir).size(), "open rebuilt the missing hints");
  }

  @Test
  void aDamagedHintIsIgnoredAndRebuilt() throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    Path hint = hintFiles(dir).get(0);
    SegmentInspector.flip(hint, 40);
    try (Store s = open()) {
      for (int i = 0; i < 200; i++) {
        assertTrue(new String(s.get(b("k" + i))).startsWith("v" + i + ":"));
      }
    }
    try (Store s = open()) {
      assertEquals(200, s.stats().liveKeys());
    }
  }

  @Test
  void aHintFromAnotherSegmentIsIgnored() throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    List<Path> hints = hintFiles(dir);
    Files.copy(hints.get(1), hints.get(0), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Store s = open()) {
      for (int i = 0; i < 200; i++) {
        assertTrue(new String(s.get(b("k" + i))).startsWith("v" + i + ":"), "k" + i);
      }
    }
  }

  @Test
  void aTornTailOfTheNewestSegmentIsCut() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    int end = SegmentInspector.dataEnd(newest);
    // Half a record: a plausible header whose value never arrived.
    byte[] torn = SegmentInspector.read(newest, SegmentInspector.recordOffsets(newest).get(0), 40).array();
    torn[SegmentFormat.R_VALUE_LENGTH] = 100;
    SegmentInspector.write(newest, end, torn);
    try (Store s = open()) {
      for (int i = 0; i < 20; i++) {
        assertValue("v" + i, s.get(b("k" + i)));
      }
      s.put(b("after"), b("cut"));
    }
    try (Store s = open()) {
      assertValue("cut", s.get(b("after")));
      assertEquals(21, s.stats().liveKeys());
    }
    assertEquals(0, SegmentInspector.read(newest, SegmentInspector.dataEnd(newest), 64).getLong(8),
        "the torn bytes were zeroed");
  }

  @Test
  void garbageAfterTheLastRecordIsCut() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    int end = SegmentInspector.dataEnd(newest);
    SegmentInspector.write(newest, end, "garbage from a torn write".getBytes());
    try (Store s = open()) {
      assertEquals(20, s.stats().liveKeys());
    }
  }

  @Test
  void anUnfinishedBatchIsDroppedWhole() throws Exception {
    try (Store s = open()) {
      fill(s, 5, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    int end = SegmentInspector.dataEnd(newest);
    // Two records of a batch whose COMMIT record never reached the file.
    MappedRegion region = ChronicleRegion.map(newest, (int) Files.size(newest), false);
    Segment seg = new Segment(1, newest, region, end, Segment::unmap);
    seg.append(SegmentFormat.TYPE_PUT, (byte) 0, b("k0"), b("batch"), 99, Position.NONE);
    seg.append(SegmentFormat.TYPE_PUT, (byte) 0, b("new"), b("batch"), 99, Position.NONE);
    seg.retire(false);
    try (Store s = open()) {
      assertValue("v0", s.get(b("k0")));
      assertNull(s.get(b("new")));
      assertEquals(5, s.stats().lastSequence());
    }
  }

  @Test
  void damageInASealedSegmentFailsOpenWithFileAndOffset() throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    for (Path h : hintFiles(dir)) {
      Files.delete(h);
    }
    Path first = segmentFiles(dir).get(0);
    int victim = SegmentInspector.recordOffsets(first).get(10);
    SegmentInspector.flip(first, victim + 40);
    byte[] before = SegmentInspector.bytes(first);
    CorruptionException e = assertThrows(CorruptionException.class, this::open);
    assertEquals(first, e.file());
    assertEquals(victim, e.offset());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertArrayEquals(before, SegmentInspector.bytes(first), "a failed open changes nothing");
    try (Store s = open(OPTIONS.toBuilder().salvage(true).build())) {
      assertTrue(new String(s.get(b("k0"))).startsWith("v0:"), "records before the damage survive");
      assertTrue(new String(s.get(b("k199"))).startsWith("v199:"), "later segments survive");
    }
  }

  /** As a crash leaves it: the newest segment has no hint written at close. */
  private Path newestWithoutHint() throws Exception {
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    Files.deleteIfExists(dir.resolve(newest.getFileName().toString().replace(".seg", ".hint")));
    return newest;
  }

  @Test
  void damageToSyncedDataInTheNewestSegmentIsNotMistakenForATornTail() throws Exception {
    StoreOptions always = OPTIONS.toBuilder().syncMode(SyncMode.ALWAYS).build();
    try (Store s = open(always)) {
      fill(s, 10, false);
    }
    Path newest = newestWithoutHint();
    int victim = SegmentInspector.recordOffsets(newest).get(3);
    SegmentInspector.flip(newest, victim + SegmentFormat.R_KEY);
    CorruptionException e = assertThrows(CorruptionException.class, () -> open(always));
    assertEquals(newest, e.file());
    assertEquals(victim, e.offset());
    assertTrue(e.getMessage().contains("not a torn tail"), e.getMessage());
  }

  @Test
  void checksumVerificationOnReadReportsADamagedValue() throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    Path first = segmentFiles(dir).get(0);
    int victim = SegmentInspector.recordOffsets(first).get(0);
    SegmentInspector.flip(first, victim + SegmentFormat.R_KEY + 2);
    try (Store s = open()) {
      assertFalse(new String(s.get(b("k0"))).startsWith("v0:"), "without verification the damage is returned");
    }
    try (Store s = open(OPTIONS.toBuilder().verifyChecksums(true).build())) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> s.get(b("k0")));
      assertEquals(first, e.file());
      assertEquals(victim, e.offset());
      assertThrows(CorruptionException.class, () -> s.readLong(b("k0"), v -> 1, 0));
      try (var snap = s.snapshot()) {
        assertThrows(CorruptionException.class, () -> snap.get(b("k0")));
      }
      assertTrue(new String(s.get(b("k1"))).startsWith("v1:"));
    }
  }

  @Test
  void readOnlyOpenOfATornStoreChangesNothing() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    SegmentInspector.write(newest, SegmentInspector.dataEnd(newest), "torn".getBytes());
    byte[] before = SegmentInspector.bytes(newest);
    try (Store s = open(OPTIONS.toBuilder().readOnly(true).build())) {
      assertEquals(20, s.stats().liveKeys());
      assertValue("v19", s.get(b("k19")));
    }
    assertArrayEquals(before, SegmentInspector.bytes(newest));
  }

  @Test
  void leftoversOfAnInterruptedRollAreRemoved() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    int nextId = segmentFiles(dir).size() + 1;
    Path empty = dir.resolve(SegmentFormat.segmentFileName(nextId));
    Files.write(empty, new byte[64 << 10]);
    Path tmp = dir.resolve(SegmentFormat.segmentFileName(nextId + 1) + ".tmp");
    Files.write(tmp, new byte[100]);
    try (Store s = open()) {
      assertEquals(20, s.stats().liveKeys());
      s.put(b("more"), b("data"));
    }
    assertFalse(Files.exists(tmp));
    try (Store s = open()) {
      assertValue("data", s.get(b("more")));
    }
  }

  @Test
  void damageInACleanlyClosedNewestSegmentIsKeptAndReportedNotCut() throws Exception {
    try (Store s = open()) {
      fill(s, 10, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    int victim = SegmentInspector.recordOffsets(newest).get(3);
    SegmentInspector.flip(newest, victim + SegmentFormat.R_KEY + 2);
    try (Store s = open(OPTIONS.toBuilder().verifyChecksums(true).build())) {
      assertEquals(10, s.stats().liveKeys(), "close forced these records: they are not a torn tail");
      CorruptionException e = assertThrows(CorruptionException.class, () -> s.get(b("k3")));
      assertEquals(victim, e.offset());
      assertValue("v4", s.get(b("k4")));
    }
  }

  @Test
  void aNewestSegmentTruncatedAfterACleanCloseIsReportedAsDamage() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    Path newest = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
    List<Integer> offsets = SegmentInspector.recordOffsets(newest);
    int last = offsets.get(offsets.size() - 1);
    try (var ch = java.nio.channels.FileChannel.open(newest, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(last + 10);
    }
    CorruptionException e = assertThrows(CorruptionException.class, this::open);
    assertEquals(newest, e.file());
    assertEquals(last + 10, e.offset());
    try (Store s = open(OPTIONS.toBuilder().salvage(true).build())) {
      assertEquals(19, s.stats().liveKeys(), "salvage keeps the whole records before the cut");
    }
  }

  @Test
  void aTruncatedNewestSegmentIsRestoredAndItsCutRecordDropped() throws Exception {
    try (Store s = open()) {
      fill(s, 20, false);
    }
    Path newest = newestWithoutHint();
    List<Integer> offsets = SegmentInspector.recordOffsets(newest);
    int last = offsets.get(offsets.size() - 1);
    try (var ch = java.nio.channels.FileChannel.open(newest, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(last + 10);
    }
    try (Store s = open()) {
      assertEquals(19, s.stats().liveKeys());
      assertNull(s.get(b("k19")));
      s.put(b("k19"), b("again"));
    }
    assertEquals(64 << 10, Files.size(newest));
    try (Store s = open()) {
      assertValue("again", s.get(b("k19")));
    }
  }

  @Test
  void recordsAppendedAfterAStaleHintAreFound() throws Exception {
    try (Store s = open()) {
      fill(s, 5, false);
    }
    Path hint = hintFiles(dir).get(hintFiles(dir).size() - 1);
    byte[] staleHint = Files.readAllBytes(hint);
    try (Store s = open()) {
      for (int i = 5; i < 300; i++) {
        s.put(b("k" + i), ("v" + i + ":" + "x".repeat(300)).getBytes());
      }
    }
    // As a crash leaves it when the sealer had not yet replaced the hint written at the first close.
    Files.write(hint, staleHint);
    try (Store s = open()) {
      assertEquals(300, s.stats().liveKeys());
      assertValue("v4", s.get(b("k4")));
      assertTrue(new String(s.get(b("k100"))).startsWith("v100:"));
    }
  }

  @Test
  void recordsAfterAZeroedStretchAreCutAndNotRevivedByTheNextAppend() throws Exception {
    try (Store s = open()) {
      fill(s, 10, false);
    }
    Path newest = newestWithoutHint();
    List<Integer> offsets = SegmentInspector.recordOffsets(newest);
    int lost = offsets.get(4);
    // A power cut kept the sectors of later unsynced writes but not the one holding record 4.
    SegmentInspector.write(newest, lost, new byte[offsets.get(5) - lost]);
    try (Store s = open()) {
      for (int i = 0; i < 10; i++) {
        if (i < 4) {
          assertValue("v" + i, s.get(b("k" + i)));
        } else {
          assertNull(s.get(b("k" + i)), "k" + i + " follows the lost record: part of the torn tail");
        }
      }
      // As big as the lost record: it ends exactly where record 5 started.
      s.put(b("zz"), b("zz"));
    }
    assertEquals(List.of(offsets.get(0), offsets.get(1), offsets.get(2), offsets.get(3), lost),
        SegmentInspector.recordOffsets(newest));
    newestWithoutHint();
    try (Store s = open()) {
      assertValue("zz", s.get(b("zz")));
      for (int i = 4; i < 10; i++) {
        assertNull(s.get(b("k" + i)), "k" + i + " was cut as a torn tail and must not come back");
      }
      assertEquals(5, s.stats().liveKeys());
    }
  }

  @Test
  void aZeroedStretchOfSyncedRecordsIsReportedNotTakenForTheEnd() throws Exception {
    StoreOptions always = OPTIONS.toBuilder().syncMode(SyncMode.ALWAYS).build();
    try (Store s = open(always)) {
      fill(s, 10, false);
    }
    Path newest = newestWithoutHint();
    List<Integer> offsets = SegmentInspector.recordOffsets(newest);
    int victim = offsets.get(4);
    SegmentInspector.write(newest, victim, new byte[offsets.get(5) - victim]);
    byte[] before = SegmentInspector.bytes(newest);
    CorruptionException e = assertThrows(CorruptionException.class, () -> open(always));
    assertEquals(newest, e.file());
    assertEquals(victim, e.offset());
    assertTrue(e.getMessage().contains("not a torn tail"), e.getMessage());
    assertArrayEquals(before, SegmentInspector.bytes(newest), "a failed open changes nothing");
    VerifyReport report = Sett.verify(dir);
    assertEquals(1, report.problems().size(), report.problems().toString());
    assertEquals(victim, report.problems().get(0).offset());
    assertEquals(9, report.records(), "the records after the zeroed one were checked too");
  }

  @ParameterizedTest
  @ValueSource(strings = {"zeros", "garbage"})
  void aSealMarkTornByAPowerCutIsWrittenAgainAndTheSegmentScanned(String torn) throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    Path first = segmentFiles(dir).get(0);
    assertTrue(SegmentHeader.decode(SegmentInspector.read(first, 0, SegmentFormat.HEADER_SIZE)).sealed());
    // What a power cut during the seal's in-place write can leave in the bytes it writes.
    byte[] bytes = new byte[SegmentFormat.HEADER_SIZE - SegmentFormat.H_FLAGS];
    if (torn.equals("garbage")) {
      new java.util.Random(7).nextBytes(bytes);
    }
    SegmentInspector.write(first, SegmentFormat.H_FLAGS, bytes);
    assertEquals(SegmentHeader.Problem.BAD_CRC, SegmentHeader.check(SegmentInspector.read(first, 0,
        SegmentFormat.HEADER_SIZE)));
    VerifyReport found = Sett.verify(dir);
    assertEquals(1, found.problems().size(), found.problems().toString());
    assertTrue(found.problems().get(0).problem().contains("seal mark was torn"), found.problems().toString());
    try (Store s = open(OPTIONS.toBuilder().readOnly(true).build())) {
      assertTrue(new String(s.get(b("k0"))).startsWith("v0:"), "a read-only open reads it as it is");
    }
    try (Store s = open()) {
      for (int i = 0; i < 200; i++) {
        assertTrue(new String(s.get(b("k" + i))).startsWith("v" + i + ":"), "k" + i);
      }
    }
    ByteBuffer header = SegmentInspector.read(first, 0, SegmentFormat.HEADER_SIZE);
    assertNull(SegmentHeader.check(header), "the header was written again");
    assertTrue(SegmentHeader.decode(header).sealed());
    VerifyReport report = Sett.verify(dir);
    assertTrue(report.ok(), "the rebuilt hint matches the segment: " + report.problems());
  }

  @Test
  void damageToHeaderBytesASealNeverWritesIsReported() throws Exception {
    try (Store s = open()) {
      fill(s, 200, true);
    }
    Path first = segmentFiles(dir).get(0);
    SegmentInspector.flip(first, SegmentFormat.H_SIZE + 1);
    CorruptionException e = assertThrows(CorruptionException.class, this::open);
    assertEquals(first, e.file());
    assertTrue(e.getMessage().contains("header"), e.getMessage());
  }
}
