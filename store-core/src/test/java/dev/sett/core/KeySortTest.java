package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeySortTest {
  /** The order a comparison sort gives: keys unsigned, then the index. */
  private static int[] expectedOrder(byte[][] keys) {
    Integer[] boxed = new Integer[keys.length];
    for (int i = 0; i < keys.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, Comparator.<Integer, byte[]>comparing(i -> keys[i], Arrays::compareUnsigned)
        .thenComparing(i -> i));
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  /**
   * Keys over a small alphabet with zero bytes, of lengths 0 to {@code maxLength}, after a shared
   * prefix: prefixes of one another, keys equal to the padding the radix uses, and duplicates.
   */
  private static byte[][] keys(SplittableRandom random, int n, int prefixLength, int maxLength) {
    byte[] prefix = new byte[prefixLength];
    random.nextBytes(prefix);
    byte[] alphabet = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] k = Arrays.copyOf(prefix, prefixLength + random.nextInt(maxLength + 1));
      for (int j = prefixLength; j < k.length; j++) {
        k[j] = alphabet[random.nextInt(alphabet.length)];
      }
      keys[i] = k;
    }
    return keys;
  }

  @Test
  void ordersLikeAComparisonSortWithEqualKeysInIndexOrder() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 400; round++) {
      int n = random.nextInt(2_000);
      int prefix = random.nextInt(3) == 0 ? 0 : random.nextInt(20);
      byte[][] keys = keys(random, n, prefix, 1 + random.nextInt(20));
      assertArrayEquals(expectedOrder(keys), KeySort.order(keys, n, null), "round " + round + ", n " + n);
    }
  }

  @Test
  void longKeysThatTieForManyBytesAreOrderedByTheirLaterBytes() {
    SplittableRandom random = new SplittableRandom(11);
    byte[][] keys = new byte[3_000][];
    for (int i = 0; i < keys.length; i++) {
      // Equal for 40 bytes after a varying first byte, so most windows tie and ranges recurse.
      byte[] k = new byte[41 + random.nextInt(30)];
      k[0] = (byte) random.nextInt(3);
      for (int j = 41; j < k.length; j++) {
        k[j] = (byte) random.nextInt(4);
      }
      keys[i] = k;
    }
    assertArrayEquals(expectedOrder(keys), KeySort.order(keys, keys.length, null));
  }

  @Test
  void equalKeysFollowTheTieBreak() {
    SplittableRandom random = new SplittableRandom(3);
    byte[][] keys = keys(random, 5_000, 4, 2);
    int[] rank = new int[keys.length];
    for (int i = 0; i < rank.length; i++) {
      rank[i] = random.nextInt(1_000_000);
    }
    int[] order = KeySort.order(keys, keys.length, (a, b) -> Integer.compare(rank[a], rank[b]));
    for (int r = 1; r < order.length; r++) {
      int c = Arrays.compareUnsigned(keys[order[r - 1]], keys[order[r]]);
      assertEquals(true, c < 0 || c == 0 && rank[order[r - 1]] <= rank[order[r]], "ranks " + (r - 1) + " and " + r);
    }
  }

  @Test
  void sortsInPlaceAndHandlesNoOrOneKey() {
    KeySort.sort(new byte[0][], 0);
    byte[][] one = {{1, 2}};
    KeySort.sort(one, 1);
    assertArrayEquals(new byte[] {1, 2}, one[0]);
    byte[][] keys = keys(new SplittableRandom(5), 10_000, 8, 12);
    List<byte[]> expected = new ArrayList<>(Arrays.asList(keys));
    expected.sort(Arrays::compareUnsigned);
    KeySort.sort(keys, keys.length);
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(expected.get(i), keys[i], "rank " + i);
    }
  }

  @Test
  void aHintListsItsEntriesByKeyThenOffsetWhateverOrderTheyCameIn() {
    SplittableRandom random = new SplittableRandom(9);
    byte[][] keys = keys(random, 3_000, 2, 3);
    List<HintFile.Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      entries.add(new HintFile.Entry(random.nextInt(1 << 20), 10, i, SegmentFormat.TYPE_PUT, (byte) 0, keys[i]));
    }
    List<HintFile.Entry> expected = new ArrayList<>(entries);
    expected.sort(HintFile.KEY_ORDER);
    assertEquals(expected, HintFile.keyOrdered(entries));
  }

  @Test
  void keysAlreadyInOrderStayAndEqualKeysStillFollowTheTieBreak() {
    byte[][] keys = keys(new SplittableRandom(21), 2_000, 3, 3);
    Arrays.sort(keys, Arrays::compareUnsigned);
    int[] identity = new int[keys.length];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    assertArrayEquals(identity, KeySort.order(keys, keys.length, null));
    // In key order, but equal keys against the tie-break (descending index): those must move.
    int[] order = KeySort.order(keys, keys.length, (a, b) -> Integer.compare(b, a));
    for (int r = 1; r < order.length; r++) {
      int c = Arrays.compareUnsigned(keys[order[r - 1]], keys[order[r]]);
      assertEquals(true, c < 0 || c == 0 && order[r - 1] > order[r], "ranks " + (r - 1) + " and " + r);
    }
  }

  @Test
  void keysPackedInOneArraySortAsTheSameKeysInArraysOfTheirOwn() {
    SplittableRandom random = new SplittableRandom(13);
    for (int round = 0; round < 200; round++) {
      int n = random.nextInt(1_500);
      byte[][] keys = keys(random, n, random.nextInt(12), 1 + random.nextInt(24));
      // Packed behind a few bytes of something else, so that a slice starting at 0 would be wrong.
      int[] starts = new int[n + 1];
      int total = 3;
      for (int i = 0; i < n; i++) {
        starts[i] = total;
        total += keys[i].length;
      }
      starts[n] = total;
      byte[] packed = new byte[total + 5];
      for (int i = 0; i < n; i++) {
        System.arraycopy(keys[i], 0, packed, starts[i], keys[i].length);
      }
      assertArrayEquals(expectedOrder(keys), KeySort.order(packed, starts, n, null), "round " + round);
      int[] reversedTies = KeySort.order(packed, starts, n, (a, b) -> Integer.compare(b, a));
      for (int r = 1; r < n; r++) {
        int c = Arrays.compareUnsigned(keys[reversedTies[r - 1]], keys[reversedTies[r]]);
        assertEquals(true, c < 0 || c == 0 && reversedTies[r - 1] > reversedTies[r], "round " + round + ", rank " + r);
      }
    }
  }
}
