package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.hintFiles;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.NotAStoreException;
import dev.sett.api.RepairReport;
import dev.sett.api.Store;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  @TempDir Path dir;

  private static byte[] value(int i) {
    return b("v" + i + ":" + "x".repeat(1000));
  }

  /** k0..k(n-1), 1 KiB values: 300 of them fill several 64 KiB segments. */
  private void fill(int n) {
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (int i = 0; i < n; i++) {
        s.put(b("k" + i), value(i));
      }
    }
  }

  private static List<String> keys(RepairReport.Dropped d) {
    List<String> keys = new ArrayList<>();
    for (byte[] k : d.keys()) {
      keys.add(new String(k, StandardCharsets.UTF_8));
    }
    return keys;
  }

  private Map<String, byte[]> allFiles() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) { // not the readers' registry directory
          files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
      }
    }
    return files;
  }

  private void assertOpensAndVerifies() {
    assertTrue(Sett.verify(dir).ok(), () -> "verify after repair: " + Sett.verify(dir).problems());
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertNotNull(s.stats());
    }
  }

  @Test
  void aSoundStoreNeedsNothingAndGetsNoReportFile() throws IOException {
    fill(20);
    Map<String, byte[]> before = allFiles();
    RepairReport r = Sett.repair(dir, false);
    assertTrue(r.nothingToDo(), r.actions().toString());
    assertNull(r.reportFile());
    assertEquals(before.keySet(), allFiles().keySet());
  }

  @Test
  void aTornTailIsCutAndTheRecordItHeldIsReported() throws IOException {
    fill(10);
    Path seg = segmentFiles(dir).get(0);
    List<Integer> offsets = SegmentInspector.recordOffsets(seg);
    int last = offsets.get(offsets.size() - 1);
    int end = SegmentInspector.dataEnd(seg);
    SegmentInspector.flip(seg, last + 40);

    RepairReport r = Sett.repair(dir, false);
    assertEquals(1, r.dropped().size(), r.dropped().toString());
    RepairReport.Dropped d = r.dropped().get(0);
    assertEquals(List.of("k9"), keys(d));
    assertEquals(last, d.fromOffset());
    assertEquals(end, d.toOffset());
    assertTrue(r.actions().stream().anyMatch(a -> a.what().startsWith("cut the damaged tail")), r.actions().toString());
    assertArrayEquals(new byte[end - last], SegmentInspector.read(seg, last, end - last).array(), "tail zeroed");
    assertNotNull(r.reportFile());
    String text = Files.readString(r.reportFile());
    assertTrue(text.contains("key \"k9\""), text);

    assertOpensAndVerifies();
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertNull(s.get(b("k9")));
      assertArrayEquals(value(8), s.get(b("k8")));
    }
  }

  @Test
  void damageInTheMiddleOfASealedSegmentDropsExactlyTheDamagedRecordAndKeepsTheRest() throws IOException {
    fill(300);
    List<Path> segments = segmentFiles(dir);
    assertTrue(segments.size() > 2);
    Path first = segments.get(0);
    List<Integer> offsets = SegmentInspector.recordOffsets(first);
    SegmentInspector.flip(first, offsets.get(3) + 40);
    assertFalse(Sett.verify(dir).ok());

    RepairReport r = Sett.repair(dir, false);
    assertEquals(1, r.dropped().size(), r.dropped().toString());
    RepairReport.Dropped d = r.dropped().get(0);
    assertEquals(List.of("k3"), keys(d));
    assertEquals(1, d.records());
    assertEquals(offsets.get(3), (int) d.fromOffset());
    assertEquals(offsets.get(4), (int) d.toOffset());
    assertEquals(first, d.file());
    assertTrue(r.actions().stream().anyMatch(a -> a.file().equals(first) && a.what().startsWith("rewrote it with its "
        + (offsets.size() - 1) + " sound record(s)")), r.actions().toString());
    assertTrue(Files.readString(r.reportFile()).contains("key \"k3\""));

    assertOpensAndVerifies();
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (int i = 0; i < 300; i++) {
        if (i == 3) {
          assertNull(s.get(b("k3")));
        } else {
          assertArrayEquals(value(i), s.get(b("k" + i)), "k" + i);
        }
      }
      s.put(b("after"), b("repair"));
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertValue("repair", s.get(b("after")));
    }
  }

  @Test
  void aBatchThatLostARecordToDamageIsDroppedWhole() throws IOException {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("before"), b("1"));
      s.write(new WriteBatch().put(b("ba"), b("A")).put(b("bb"), b("B")).put(b("bc"), b("C")));
      s.put(b("after"), b("2"));
    }
    Path seg = segmentFiles(dir).get(0);
    List<Integer> offsets = SegmentInspector.recordOffsets(seg);
    SegmentInspector.flip(seg, offsets.get(2) + 33); // the key of "bb"

    RepairReport r = Sett.repair(dir, false);
    assertEquals(3, r.droppedRecords(), r.dropped().toString());
    List<String> dropped = new ArrayList<>();
    r.dropped().forEach(d -> dropped.addAll(keys(d)));
    assertEquals(3, dropped.size(), dropped.toString());
    assertEquals("ba", dropped.get(0));
    assertEquals("bc", dropped.get(2));

    assertOpensAndVerifies();
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertValue("1", s.get(b("before")));
      assertValue("2", s.get(b("after")));
      assertNull(s.get(b("ba")));
      assertNull(s.get(b("bc")));
    }
  }

  @Test
  void aHintThatDoesNotMatchItsSegmentIsRebuilt() throws IOException {
    fill(300);
    Path hint = hintFiles(dir).get(0);
    byte[] good = Files.readAllBytes(hint);
    SegmentInspector.flip(hint, 40);
    assertFalse(Sett.verify(dir).ok());

    RepairReport r = Sett.repair(dir, false);
    assertTrue(r.dropped().isEmpty(), r.dropped().toString());
    assertEquals(1, r.actions().size(), r.actions().toString());
    assertTrue(r.actions().get(0).what().startsWith("rebuilt the hint file (checksum mismatch)"), r.actions().toString());
    assertArrayEquals(good, Files.readAllBytes(hint), "the rebuilt hint is the one the store wrote");
    assertOpensAndVerifies();
  }

  @Test
  void leftoverTemporaryFilesAndOrphanHintsAreDeleted() throws IOException {
    fill(10);
    Files.write(dir.resolve("0000000009.seg.tmp"), new byte[4096]);
    Files.copy(hintFiles(dir).get(0), dir.resolve("0000000042.hint"));
    RepairReport r = Sett.repair(dir, false);
    assertEquals(2, r.actions().size(), r.actions().toString());
    assertFalse(Files.exists(dir.resolve("0000000009.seg.tmp")));
    assertFalse(Files.exists(dir.resolve("0000000042.hint")));
    assertTrue(r.dropped().isEmpty());
    assertOpensAndVerifies();
  }

  @Test
  void aDryRunChangesNoByteButSaysWhatItWouldDo() throws IOException {
    fill(300);
    Path first = segmentFiles(dir).get(0);
    SegmentInspector.flip(first, SegmentInspector.recordOffsets(first).get(3) + 40);
    SegmentInspector.flip(hintFiles(dir).get(1), 40);
    Files.write(dir.resolve("0000000009.seg.tmp"), new byte[4096]);
    Map<String, byte[]> before = allFiles();

    RepairReport r = Sett.repair(dir, true);
    assertTrue(r.dryRun());
    assertNull(r.reportFile());
    assertEquals(1, r.droppedRecords());
    assertEquals(List.of("k3"), keys(r.dropped().get(0)));
    assertTrue(r.actions().size() >= 3, r.actions().toString());

    Map<String, byte[]> after = allFiles();
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), name);
    }
  }

  @Test
  void repairRefusesAStoreThatIsOpenAndADirectoryThatIsNotAStore(@TempDir Path other) throws IOException {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("a"), b("1"));
      assertThrows(StoreLockedException.class, () -> Sett.repair(dir, false));
      assertThrows(StoreLockedException.class, () -> Sett.repair(dir, true));
    }
    Files.writeString(other.resolve("notes.txt"), "not a store");
    assertThrows(NotAStoreException.class, () -> Sett.repair(other, false));
    assertFalse(Files.exists(other.resolve("sett.store")), "repair never makes a store");
    assertThrows(NotAStoreException.class, () -> Sett.repair(other.resolve("missing"), false));
  }
}
