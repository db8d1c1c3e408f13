package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HintFileTest {
  @TempDir Path dir;

  private static final List<HintFile.Entry> ENTRIES = List.of(
      new HintFile.Entry(64, 5, 1, SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, new byte[] {1, 2}),
      new HintFile.Entry(104, 0, 2, SegmentFormat.TYPE_DELETE, SegmentFormat.FLAG_COMMIT, new byte[] {3}));

  @Test
  void encodedHintDecodesToTheSameEntries() {
    byte[] bytes = HintFile.encode(3, 777, 200, ENTRIES);
    String[] why = new String[1];
    HintFile.Contents c = HintFile.decode(bytes, 3, 777, 4096, why);
    assertNotNull(c, why[0]);
    assertEquals(200, c.dataEnd());
    assertEquals(2, c.entries().size());
    assertEquals(104, c.entries().get(1).offset());
    assertEquals(2, c.entries().get(1).sequence());
    assertArrayEquals(new byte[] {1, 2}, c.entries().get(0).key());
  }

  @Test
  void everyFlippedByteIsRejected() {
    byte[] bytes = HintFile.encode(3, 777, 200, ENTRIES);
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 0x40;
      assertNull(HintFile.decode(damaged, 3, 777, 4096, new String[1]), "flip at " + i);
    }
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] bytes = HintFile.encode(3, 777, 200, ENTRIES);
    for (int n = 0; n < bytes.length; n++) {
      assertNull(HintFile.decode(java.util.Arrays.copyOf(bytes, n), 3, 777, 4096, new String[1]), "length " + n);
    }
  }

  @Test
  void aHintOfAnotherSegmentIsRejected() {
    byte[] bytes = HintFile.encode(3, 777, 200, ENTRIES);
    String[] why = new String[1];
    assertNull(HintFile.decode(bytes, 4, 777, 4096, why));
    assertNull(HintFile.decode(bytes, 3, 778, 4096, why));
    assertEquals("written for another segment (id 3)", why[0]);
    assertNull(HintFile.decode(bytes, 3, 777, 150, why), "data end beyond the segment");
  }

  private static final List<HintFile.Entry> RECORD_ORDER = List.of(
      new HintFile.Entry(64, 5, 1, SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, new byte[] {9}),
      new HintFile.Entry(90, 5, 2, SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, new byte[] {(byte) 0x80}),
      new HintFile.Entry(116, 5, 3, SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, new byte[] {9}),
      new HintFile.Entry(142, 5, 4, SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, new byte[] {1, 2}));

  @Test
  void hintsListEntriesInUnsignedKeyOrderThenRecordOrder() {
    HintFile.Contents c = HintFile.decode(HintFile.encode(3, 777, 200, RECORD_ORDER), 3, 777, 4096, new String[1]);
    assertNotNull(c);
    assertEquals(HintFile.VERSION, c.version());
    assertEquals(List.of(142, 64, 116, 90), c.entries().stream().map(HintFile.Entry::offset).toList());
  }

  @Test
  void versionOneHintsInRecordOrderAreStillRead() {
    byte[] v1 = HintFile.encode(HintFile.VERSION_1, 3, 777, 200, RECORD_ORDER);
    HintFile.Contents c = HintFile.decode(v1, 3, 777, 4096, new String[1]);
    assertNotNull(c);
    assertEquals(HintFile.VERSION_1, c.version());
    assertEquals(List.of(64, 90, 116, 142), c.entries().stream().map(HintFile.Entry::offset).toList());
  }

  @Test
  void aVersionTwoHintOutOfKeyOrderIsRejected() {
    byte[] bytes = HintFile.encode(HintFile.VERSION_1, 3, 777, 200, RECORD_ORDER);
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, HintFile.VERSION);
    FuzzSupport.fixTrailingCrc(bytes);
    String[] why = new String[1];
    assertNull(HintFile.decode(bytes, 3, 777, 4096, why));
    assertEquals("entry 2 is out of key order", why[0]);
  }

  /**
   * A hint of several pieces, written a piece at a time through the file system, is byte for byte
   * the hint encoded whole, and decodes to its entries: keys of every length up to the largest
   * (an entry then nearly fills a piece), expiring records among them, so that entries meet the
   * pieces' boundaries at every offset the lengths give.
   */
  @Test
  void aHintWrittenInPiecesIsTheHintEncodedWhole() throws Exception {
    Random r = new Random(17);
    List<HintFile.Entry> entries = new ArrayList<>();
    int offset = SegmentFormat.HEADER_SIZE;
    long written = 0;
    for (int i = 0; written < 3L * HintFile.PIECE; i++) {
      int kl = i % 97 == 5 ? 65_535 - r.nextInt(3) : 1 + r.nextInt(40);
      byte[] key = new byte[kl];
      r.nextBytes(key);
      boolean expires = i % 3 == 0;
      entries.add(new HintFile.Entry(offset, 10, i, SegmentFormat.TYPE_PUT,
          (byte) (SegmentFormat.FLAG_COMMIT | (expires ? SegmentFormat.FLAG_EXPIRES : 0)), key,
          expires ? 1_000_000L + i : SegmentFormat.NEVER));
      offset += SegmentFormat.recordSize(kl, 10 + (expires ? SegmentFormat.EXPIRY_SIZE : 0));
      written += HintFile.ENTRY_FIXED + kl + (expires ? SegmentFormat.EXPIRY_SIZE : 0);
    }
    Path file = dir.resolve("0000000003.hint");
    FileStorage.INSTANCE.writeAtomically(file, HintFile.pieces(3, 777, offset, entries));
    byte[] whole = HintFile.encode(3, 777, offset, entries);
    assertArrayEquals(whole, Files.readAllBytes(file));
    String[] why = new String[1];
    HintFile.Contents c = HintFile.decode(Files.readAllBytes(file), 3, 777, Integer.MAX_VALUE, why);
    assertNotNull(c, why[0]);
    assertEquals(entries.size(), c.entries().size());
    List<HintFile.Entry> expected = HintFile.keyOrdered(entries);
    for (int i = 0; i < expected.size(); i++) {
      HintFile.Entry want = expected.get(i);
      HintFile.Entry got = c.entries().get(i);
      assertEquals(want.offset(), got.offset(), "entry " + i);
      assertEquals(want.expiresAt(), got.expiresAt(), "entry " + i);
      assertArrayEquals(want.key(), got.key(), "entry " + i);
    }
  }
}
