package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of hint file parsing ({@link HintFile#decode}): any bytes either decode
 * to entries that lie inside the segment's data and re-encode to exactly the same bytes, or are
 * refused with a reason; nothing throws, and a huge entry count allocates nothing up front.
 *
 * <p>Input: byte 0 is a flag byte (bit 0: write a correct trailing CRC32C first, so the fuzzer gets
 * behind the checksum); the rest is the hint file, checked as the hint of segment 1 created at
 * {@link FuzzSupport#CREATED}, 64 KiB long.
 */
@Tag("reliability")
class HintParsingFuzzTest {
  private static final FuzzFigures FIGURES = new FuzzFigures("fuzzing: hint parsing");

  @FuzzTest(maxDuration = "30s")
  void anyHintDecodesToSoundEntriesOrIsRefused(byte[] input) {
    FIGURES.count();
    if (input.length == 0) {
      return;
    }
    byte[] hint = Arrays.copyOfRange(input, 1, input.length);
    if ((input[0] & 1) != 0) {
      FuzzSupport.fixTrailingCrc(hint);
    }
    String[] why = new String[1];
    HintFile.Contents c = HintFile.decode(hint, 1, FuzzSupport.CREATED, FuzzSupport.SEGMENT_SIZE, why);
    if (c == null) {
      assertNotNull(why[0], "a refused hint says why");
      return;
    }
    assertTrue(c.dataEnd() >= SegmentFormat.HEADER_SIZE && c.dataEnd() <= FuzzSupport.SEGMENT_SIZE);
    for (HintFile.Entry e : c.entries()) {
      assertTrue(e.key().length > 0);
      assertTrue(e.offset() >= SegmentFormat.HEADER_SIZE);
      assertTrue((long) e.offset() + SegmentFormat.RECORD_HEADER_SIZE + e.key().length + e.bodyLength()
          <= c.dataEnd(), "entry past the data end");
      assertTrue(e.type() == SegmentFormat.TYPE_PUT || e.type() == SegmentFormat.TYPE_DELETE);
    }
    assertArrayEquals(hint, HintFile.encode(c.version(), 1, FuzzSupport.CREATED, c.dataEnd(), c.entries()),
        "what was accepted re-encodes to the same bytes");
  }

  @AfterAll
  static void recordFigures() {
    FIGURES.record();
  }
}
