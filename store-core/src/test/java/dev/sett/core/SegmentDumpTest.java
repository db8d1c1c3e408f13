package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.RecordInfo;
import dev.sett.api.SegmentDump;
import dev.sett.api.SegmentVisitor;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDumpTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  @TempDir Path dir;

  /** Collects what a dump reports. */
  static final class Collected implements SegmentVisitor {
    final List<RecordInfo> records = new ArrayList<>();
    final List<String> damage = new ArrayList<>();

    @Override
    public void record(RecordInfo record) {
      records.add(record);
    }

    @Override
    public void damaged(long offset, long resumesAt, String problem) {
      damage.add(offset + "->" + resumesAt + ": " + problem);
    }
  }

  private void write() {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("a"), b("alpha"));
      s.put(b("b"), b("beta"));
      s.delete(b("a"));
      s.write(new WriteBatch().put(b("c"), b("gamma")).put(b("d"), b("delta")));
    }
  }

  @Test
  void aSoundSegmentListsEveryRecordWithItsFieldsInFileOrder() {
    write();
    Path seg = dir.resolve("0000000001.seg");
    Collected c = new Collected();
    SegmentDump d = Sett.dumpSegment(seg, 3, c);
    assertTrue(d.ok(), d.toString());
    assertNull(d.headerProblem());
    assertEquals(1, d.segmentId());
    assertEquals(64 << 10, d.segmentSize());
    assertEquals(5, d.records());
    assertEquals(SegmentDump.Ending.END_MARKER, d.ending());
    assertEquals(5, c.records.size());
    RecordInfo first = c.records.get(0);
    assertEquals(64, first.offset());
    assertEquals(RecordInfo.Type.PUT, first.type());
    assertArrayEquals(b("a"), first.key());
    assertArrayEquals(b("alp"), first.valuePrefix(), "values are cut to the bytes asked for");
    assertEquals(5, first.valueLength());
    assertTrue(first.crcOk() && first.commit());
    assertEquals(RecordInfo.Type.DELETE, c.records.get(2).type());
    RecordInfo c3 = c.records.get(3);
    RecordInfo d4 = c.records.get(4);
    assertFalse(c3.commit(), "the first record of a batch is not its commit");
    assertTrue(d4.commit());
    assertEquals(c3.sequence(), d4.sequence(), "a batch's records share its sequence");
    assertTrue(c.records.get(1).sequence() > first.sequence());
    assertEquals(d4.offset() + SegmentFormat.recordSize(1, 5), d.end());
    assertTrue(c.damage.isEmpty());
  }

  @Test
  void aBadChecksumIsReportedAndTheWalkGoesOnToTheRecordsAfterIt() throws Exception {
    write();
    Path seg = dir.resolve("0000000001.seg");
    List<Integer> offsets = SegmentInspector.recordOffsets(seg);
    SegmentInspector.flip(seg, offsets.get(1) + 33);
    Collected c = new Collected();
    SegmentDump d = Sett.dumpSegment(seg, 16, c);
    assertFalse(d.ok());
    assertEquals(5, c.records.size(), "the damaged record and the ones after it are listed");
    assertFalse(c.records.get(1).crcOk());
    assertTrue(c.records.get(2).crcOk());
    assertEquals(1, d.badChecksums());
    assertEquals(List.of(offsets.get(1) + "->" + offsets.get(2) + ": record checksum mismatch"), c.damage);
    assertEquals(SegmentDump.Ending.END_MARKER, d.ending());
  }

  @Test
  void garbageAfterTheLastRecordIsADamagedTailAtItsOffset() throws Exception {
    write();
    Path seg = dir.resolve("0000000001.seg");
    int end = SegmentInspector.dataEnd(seg);
    SegmentInspector.write(seg, end, new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 9, 9});
    Collected c = new Collected();
    SegmentDump d = Sett.dumpSegment(seg, 0, c);
    assertEquals(SegmentDump.Ending.DAMAGED_TAIL, d.ending());
    assertEquals(end, d.end());
    assertEquals(5, d.records());
    assertEquals(1, c.damage.size());
    assertTrue(c.damage.get(0).startsWith(end + "->-1: "), c.damage.toString());
  }

  @Test
  void aSegmentOfAnOpenStoreIsDumpedWithoutChangingAByte() throws Exception {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("open"), b("store"));
      s.sync();
      Path seg = segmentFiles(dir).get(0);
      byte[] before = Files.readAllBytes(seg);
      Collected c = new Collected();
      SegmentDump d = Sett.dumpSegment(seg, 8, c);
      assertEquals(1, c.records.size());
      assertArrayEquals(b("open"), c.records.get(0).key());
      assertEquals(SegmentDump.Ending.END_MARKER, d.ending());
      assertArrayEquals(before, Files.readAllBytes(seg));
      assertNotNull(s.get(b("open")), "the store is still usable");
    }
  }

  @Test
  void aFileThatIsNotASegmentGetsAHeaderProblemNotAnException() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.seg"), "hello, this is not a segment file at all;"
        + " it is long enough to hold a header though, at least sixty-four bytes.");
    SegmentDump d = Sett.dumpSegment(notes, 8, new Collected());
    assertNotNull(d.headerProblem());
    assertTrue(d.headerProblem().contains("magic"), d.headerProblem());
    assertFalse(d.ok());
    Path tiny = Files.write(dir.resolve("tiny.seg"), new byte[10]);
    SegmentDump t = Sett.dumpSegment(tiny, 8, new Collected());
    assertEquals(SegmentDump.Ending.FILE_TOO_SHORT, t.ending());
  }
}
