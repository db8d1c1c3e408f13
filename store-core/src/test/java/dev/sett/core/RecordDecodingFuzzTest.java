package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of record decoding ({@link RecordScanner} through {@link SegmentScan},
 * and the torn-tail probe {@link SegmentScan#findSoundRecordAfter}): whatever the bytes after a
 * segment header, the scan never throws, never reads outside the segment (the heap region checks
 * every access) and returns only whole, CRC-valid records in order.
 *
 * <p>Input: byte 0 is a flag byte (bit 0: give every framed record a correct CRC first, so the
 * fuzzer gets behind the checksum); the rest is the segment's data from offset 64. Seeds in
 * {@code RecordDecodingFuzzTestInputs/}; {@link FuzzSeeds} rewrites them.
 */
@Tag("reliability")
class RecordDecodingFuzzTest {
  private static final FuzzFigures FIGURES = new FuzzFigures("fuzzing: record decoding");

  @FuzzTest(maxDuration = "30s")
  void scanningArbitraryBytesReturnsOnlySoundRecords(byte[] input) {
    FIGURES.count();
    if (input.length == 0) {
      return;
    }
    byte[] seg = segmentWith(Arrays.copyOfRange(input, 1, input.length));
    if ((input[0] & 1) != 0) {
      FuzzSupport.fixRecordCrcs(seg, SegmentFormat.HEADER_SIZE);
    }
    Segment segment = new Segment(1, Path.of("fuzz.seg"), new HeapRegion(seg, seg.length),
        SegmentFormat.HEADER_SIZE, Segment::unmap);
    SegmentScan scan = SegmentScan.of(segment, seg.length);

    assertNotNull(scan.stop);
    assertTrue(scan.stop != RecordScanner.Stop.NONE);
    assertTrue(scan.stop != RecordScanner.Stop.DAMAGED || scan.problem != null, "damage has a reason");
    assertTrue(scan.stopOffset >= SegmentFormat.HEADER_SIZE && scan.stopOffset <= seg.length, "stop " + scan.stopOffset);
    assertTrue(scan.committedEnd >= SegmentFormat.HEADER_SIZE && scan.committedEnd <= scan.stopOffset,
        "committed end " + scan.committedEnd + ", stop " + scan.stopOffset);
    assertEquals(0, scan.committedEnd & 7, "records start on 8-byte boundaries");
    ByteBuffer b = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
    int previousEnd = SegmentFormat.HEADER_SIZE;
    for (HintFile.Entry e : scan.entries) {
      assertEquals(previousEnd, e.offset(), "records follow each other without gaps");
      assertTrue(FuzzSupport.soundRecordAt(seg, seg.length, e.offset()), "unsound record at " + e.offset());
      assertEquals(seg[e.offset() + SegmentFormat.R_TYPE], e.type());
      assertEquals(b.getInt(e.offset() + SegmentFormat.R_VALUE_LENGTH), e.bodyLength());
      assertEquals(b.getLong(e.offset() + SegmentFormat.R_SEQUENCE), e.sequence());
      assertArrayEquals(Arrays.copyOfRange(seg, e.offset() + SegmentFormat.R_KEY,
          e.offset() + SegmentFormat.R_KEY + e.key().length), e.key());
      previousEnd = e.offset() + SegmentFormat.recordSize(e.key().length, e.bodyLength());
    }
    assertTrue(scan.entries.isEmpty() || (scan.entries.get(scan.entries.size() - 1).flags()
        & SegmentFormat.FLAG_COMMIT) != 0, "the last record returned commits its write");

    int[] lastNonZero = new int[1];
    int from = Math.min(scan.stopOffset + 8, seg.length);
    int later = SegmentScan.findSoundRecordAfter(segment, from, lastNonZero, scan.committedEnd);
    assertTrue(later == -1 || (later >= from && (later & 7) == 0
        && FuzzSupport.soundRecordAt(seg, seg.length, later)), "probe found " + later);
    assertTrue(lastNonZero[0] >= from && lastNonZero[0] <= seg.length, "last non-zero " + lastNonZero[0]);
  }

  /** A segment of the data's size (8-byte aligned), with a valid header. */
  static byte[] segmentWith(byte[] data) {
    int size = SegmentFormat.align8(SegmentFormat.HEADER_SIZE + data.length);
    byte[] seg = new byte[size];
    new SegmentHeader(SegmentFormat.VERSION, 1, size, FuzzSupport.CREATED).encode().get(0, seg, 0,
        SegmentFormat.HEADER_SIZE);
    System.arraycopy(data, 0, seg, SegmentFormat.HEADER_SIZE, data.length);
    return seg;
  }

  @AfterAll
  static void recordFigures() {
    FIGURES.record();
  }
}
