package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.hintFiles;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  @TempDir Path dir;

  @BeforeEach
  void fill() {
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[900]);
      }
    }
  }

  @Test
  void aSoundStoreVerifiesWithEveryRecordCounted() throws Exception {
    VerifyReport r = Sett.verify(dir);
    assertTrue(r.ok(), r.problems().toString());
    assertEquals(200, r.records());
    assertEquals(segmentFiles(dir).size(), r.segments());
    StoreTestSupport.assertNothingMapped(dir);
  }

  @Test
  void damageInAHintedSegmentIsFoundWithFileAndOffset() throws Exception {
    Path first = segmentFiles(dir).get(0);
    int victim = SegmentInspector.recordOffsets(first).get(5);
    byte[] before = SegmentInspector.bytes(first);
    SegmentInspector.flip(first, victim + 100);
    byte[] damaged = SegmentInspector.bytes(first);
    VerifyReport r = Sett.verify(dir);
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(first, r.problems().get(0).file());
    assertEquals(victim, r.problems().get(0).offset());
    assertTrue(r.problems().get(0).problem().contains("checksum"), r.problems().toString());
    assertArrayEquals(damaged, SegmentInspector.bytes(first), "verify changes nothing");
    assertTrue(before.length == damaged.length);
  }

  @Test
  void everyDamagedStretchIsReportedAndTheRecordsAfterItAreChecked() throws Exception {
    Path first = segmentFiles(dir).get(0);
    List<Integer> offsets = SegmentInspector.recordOffsets(first);
    SegmentInspector.flip(first, offsets.get(3) + 100);
    SegmentInspector.flip(first, offsets.get(9) + 100);
    VerifyReport r = Sett.verify(dir);
    assertEquals(2, r.problems().size(), r.problems().toString());
    assertEquals(offsets.get(3), (int) r.problems().get(0).offset());
    assertEquals(offsets.get(9), (int) r.problems().get(1).offset());
    assertEquals(198, r.records(), "every other record, after the damage too, was checked");
  }

  @Test
  void aHintThatDisagreesWithItsSegmentIsReported() throws Exception {
    Path hint0 = hintFiles(dir).get(0);
    Files.copy(hintFiles(dir).get(1), hint0, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    VerifyReport r = Sett.verify(dir);
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(hint0, r.problems().get(0).file());
    assertTrue(r.problems().get(0).problem().contains("unusable"), r.problems().toString());
  }

  @Test
  void aStoreOpenForWritingIsVerifiedBesideItsWriter() {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("before"), b("verify"));
      VerifyReport r = Sett.verify(dir);
      assertTrue(r.ok(), r.problems().toString());
      assertTrue(r.records() > 0);
      s.put(b("still"), b("fine"));
      assertThrows(StoreLockedException.class, () -> Sett.open(dir, OPTIONS), "the writer kept its lock");
    }
  }
}
