package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HintEntriesTest {
  /** Entries with keys of 1 to 300 bytes; every tenth expires. */
  private static List<HintFile.Entry> entries(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<HintFile.Entry> out = new ArrayList<>();
    int offset = SegmentFormat.HEADER_SIZE;
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 20)];
      random.nextBytes(key);
      boolean expires = i % 10 == 3;
      byte flags = (byte) ((i % 3 == 0 ? SegmentFormat.FLAG_COMMIT : 0) | (expires ? SegmentFormat.FLAG_EXPIRES : 0));
      byte type = !expires && i % 7 == 0 ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT;
      int body = type == SegmentFormat.TYPE_DELETE ? 0 : random.nextInt(200) + (expires ? SegmentFormat.EXPIRY_SIZE : 0);
      out.add(new HintFile.Entry(offset, body, 1_000 + i, type, flags, key,
          expires ? 1_700_000_000_000L + i : SegmentFormat.NEVER));
      offset += SegmentFormat.align8(SegmentFormat.RECORD_HEADER_SIZE + key.length + body);
    }
    return out;
  }

  private static void assertSameEntry(HintFile.Entry expected, HintFile.Entry actual, String where) {
    assertEquals(expected.offset(), actual.offset(), where);
    assertEquals(expected.bodyLength(), actual.bodyLength(), where);
    assertEquals(expected.sequence(), actual.sequence(), where);
    assertEquals(expected.type(), actual.type(), where);
    assertEquals(expected.flags(), actual.flags(), where);
    assertEquals(expected.expiresAt(), actual.expiresAt(), where);
    assertArrayEquals(expected.key(), actual.key(), where);
  }

  @Test
  void packedEntriesReadBackAsTheEntriesTheyWereGivenPastEveryRegrowth() {
    List<HintFile.Entry> given = entries(5_000, 1);
    HintEntries packed = HintEntries.of(given);
    assertEquals(given.size(), packed.size());
    for (int i = 0; i < given.size(); i++) {
      HintFile.Entry e = given.get(i);
      assertSameEntry(e, packed.get(i), "entry " + i);
      assertEquals(e.key().length, packed.keyLength(i));
      assertEquals(e.expiresAt(), packed.expiresAt(i));
    }
    assertSame(packed, HintEntries.of(packed), "a packed list is not packed again");
    int[] visited = new int[1];
    packed.forEach((offset, bodyLength, sequence, type, flags, buf, keyOffset, keyLength, expiresAt) -> {
      HintFile.Entry e = given.get(visited[0]++);
      assertEquals(e.offset(), offset);
      assertEquals(e.expiresAt(), expiresAt);
      assertArrayEquals(e.key(), java.util.Arrays.copyOfRange(buf, keyOffset, keyOffset + keyLength));
    });
    assertEquals(given.size(), visited[0]);
  }

  @Test
  void aTruncatedTailIsGoneAndLaterEntriesTakeItsPlace() {
    List<HintFile.Entry> given = entries(40, 2);
    HintEntries packed = HintEntries.of(given.subList(0, 30));
    packed.truncate(25);
    assertEquals(25, packed.size());
    assertThrows(IndexOutOfBoundsException.class, () -> packed.get(25));
    for (HintFile.Entry e : given.subList(30, 40)) {
      byte[] k = e.key();
      packed.add(e.offset(), e.bodyLength(), e.sequence(), e.type(), e.flags(), k, 0, k.length, e.expiresAt());
    }
    assertEquals(35, packed.size());
    for (int i = 0; i < 35; i++) {
      assertSameEntry(given.get(i < 25 ? i : i + 5), packed.get(i), "entry " + i);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> packed.truncate(36));
  }

  @Test
  void aHintEncodedFromPackedEntriesDecodesToThemInKeyOrder() {
    List<HintFile.Entry> given = entries(3_000, 3);
    byte[] bytes = HintFile.encode(9, 4242, 1 << 20, HintEntries.of(given));
    String[] why = new String[1];
    HintFile.Contents c = HintFile.decode(bytes, 9, 4242, 1 << 20, why);
    assertNotNull(c, why[0]);
    List<HintFile.Entry> expected = new ArrayList<>(given);
    expected.sort(HintFile.KEY_ORDER);
    List<HintFile.Entry> decoded = c.entries();
    assertEquals(expected.size(), decoded.size());
    for (int i = 0; i < expected.size(); i++) {
      assertSameEntry(expected.get(i), decoded.get(i), "rank " + i);
    }
    // The same entries as objects encode to the same bytes.
    assertArrayEquals(bytes, HintFile.encode(9, 4242, 1 << 20, new ArrayList<>(given)));
  }
}
