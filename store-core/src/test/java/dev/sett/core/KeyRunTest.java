package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KeyRunTest {

  private static KeyRun build(TreeSet<byte[]> keys) {
    KeyRun.Builder b = new KeyRun.Builder(keys.size());
    keys.forEach(b::add);
    return b.build();
  }

  /** Keys over a tiny alphabet and lengths 0..5: many share prefixes, many are prefixes of others. */
  private static byte[] shortKey(Random r) {
    byte[] k = new byte[r.nextInt(6)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (r.nextInt(3) * 120); // 0, 120, 240: unsigned order matters
    }
    return k;
  }

  private static int sign(int c) {
    return Integer.signum(c);
  }

  @Test
  void compressedBlocksGiveBackEveryKeyAndCompareAndSearchAsTheKeysThemselves() {
    Random r = new Random(21);
    for (int round = 0; round < 30; round++) {
      TreeSet<byte[]> keys = new TreeSet<>(OrderedKeys.ORDER);
      int n = round == 0 ? 1 : r.nextInt(3 * KeyRun.BLOCK); // one key, partial blocks, several blocks
      boolean dense = r.nextBoolean();
      while (keys.size() < n) {
        keys.add(dense ? ("k:" + String.format("%09d", r.nextInt(5 * n + 1))).getBytes(StandardCharsets.US_ASCII)
            : randomKey(r));
      }
      KeyRun run = build(keys);
      List<byte[]> list = new ArrayList<>(keys);
      assertEquals(list.size(), run.size());
      for (int i = 0; i < list.size(); i++) {
        assertArrayEquals(list.get(i), run.key(i), "round " + round + ", key " + i);
        assertEquals(list.get(i).length, run.keyLength(i));
        assertEquals(i, run.indexOf(list.get(i)));
      }
      for (int q = 0; q < 500; q++) {
        byte[] probe = r.nextBoolean() && !list.isEmpty() ? mutate(list.get(r.nextInt(list.size())), r) : randomKey(r);
        byte[] ceiling = keys.ceiling(probe);
        int expected = ceiling == null ? list.size() : keys.headSet(ceiling).size();
        assertEquals(expected, run.ceiling(probe), "round " + round + ", ceiling of a probe");
        if (!list.isEmpty()) {
          int i = r.nextInt(list.size());
          assertEquals(sign(OrderedKeys.ORDER.compare(list.get(i), probe)), sign(run.compareAt(i, probe)),
              "round " + round + ", key " + i + " against a probe");
        }
      }
    }
  }

  private static byte[] randomKey(Random r) {
    return r.nextInt(4) == 0 ? shortKey(r) : ("k:" + Long.toString(r.nextLong() >>> r.nextInt(64), 36))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A key near {@code k}: shortened, lengthened, or with one byte changed. */
  private static byte[] mutate(byte[] k, Random r) {
    switch (r.nextInt(3)) {
      case 0:
        return java.util.Arrays.copyOf(k, r.nextInt(k.length + 1));
      case 1: {
        byte[] longer = java.util.Arrays.copyOf(k, k.length + 1 + r.nextInt(3));
        longer[k.length] = (byte) r.nextInt(256);
        return longer;
      }
      default: {
        byte[] c = k.clone();
        if (c.length > 0) {
          c[r.nextInt(c.length)] += (byte) (r.nextBoolean() ? 1 : -1);
        }
        return c;
      }
    }
  }

  @Test
  void neighbouringKeysThatShareMostBytesCostFewBytesEach() {
    TreeSet<byte[]> keys = new TreeSet<>(OrderedKeys.ORDER);
    for (int i = 0; i < 100_000; i++) {
      keys.add(String.format("user%012d", i).getBytes(StandardCharsets.US_ASCII)); // 16-byte keys
    }
    KeyRun run = build(keys);
    double perKey = run.memoryBytes() / (double) keys.size();
    // 4 bytes of end offset plus the last 3 or 4 digits: a block of 1,024 consecutive numbers shares 12 or 13 bytes.
    assertTrue(perKey < 9, "a run of 16-byte neighbouring keys costs " + perKey + " B/key");
    assertArrayEquals(keys.last(), run.key(run.size() - 1));
  }

  @Test
  void mergingCompressedRunsKeepsEveryLiveKeyOnce() {
    Random r = new Random(4);
    TreeSet<byte[]> all = new TreeSet<>(OrderedKeys.ORDER);
    List<KeyRun> runs = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      TreeSet<byte[]> mine = new TreeSet<>(OrderedKeys.ORDER);
      for (int i = 0; i < 2_000; i++) {
        mine.add(randomKey(r));
      }
      all.addAll(mine);
      runs.add(build(mine));
    }
    byte[] gone = runs.get(2).key(7);
    boolean elsewhere = false;
    for (int k = 0; k < 4; k++) {
      if (k != 2 && runs.get(k).indexOf(gone) >= 0) {
        elsewhere = true;
      }
    }
    assertTrue(runs.get(2).markDead(gone));
    if (!elsewhere) {
      all.remove(gone);
    }
    KeyRun merged = KeyRuns.merge(runs);
    List<byte[]> expected = new ArrayList<>(all);
    assertEquals(expected.size(), merged.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), merged.key(i), "merged key " + i);
    }
  }

  /** Runs of an ascending load: each run's keys all above the previous run's, sizes not multiples of a block. */
  private static List<TreeSet<byte[]>> ascendingRuns(int... sizes) {
    List<TreeSet<byte[]>> runs = new ArrayList<>();
    long next = 1_000_000;
    for (int size : sizes) {
      TreeSet<byte[]> mine = new TreeSet<>(OrderedKeys.ORDER);
      for (int i = 0; i < size; i++) {
        next += 1 + (next % 3);
        mine.add(("user:" + next).getBytes(StandardCharsets.US_ASCII));
      }
      runs.add(mine);
    }
    return runs;
  }

  private static void assertKeys(TreeSet<byte[]> expected, KeyRun run) {
    assertEquals(expected.size(), run.size());
    int i = 0;
    for (byte[] k : expected) {
      assertArrayEquals(k, run.key(i), "key " + i);
      assertEquals(i, run.indexOf(k));
      i++;
    }
  }

  @Test
  void mergingRunsThatDoNotInterleaveAppendsThemWhateverTheirOrder() {
    List<TreeSet<byte[]>> keys = ascendingRuns(5_000, 1_500, 700, 3);
    TreeSet<byte[]> all = new TreeSet<>(OrderedKeys.ORDER);
    keys.forEach(all::addAll);
    List<KeyRun> runs = new ArrayList<>();
    for (TreeSet<byte[]> k : keys) {
      runs.add(build(k));
    }
    KeyRun head = runs.get(0);
    // Given newest first, as no caller does: the order of the list does not matter.
    List<KeyRun> shuffled = List.of(runs.get(2), runs.get(0), runs.get(3), runs.get(1));
    KeyRun merged = KeyRuns.merge(shuffled);
    assertKeys(all, merged);
    // The head run's blocks are shared, its dead marks are not.
    byte[] first = all.first();
    assertTrue(merged.markDead(first));
    assertFalse(head.isDead(0), "a mark on the merged run stays there");
    assertKeys(keys.get(0), head);
    // Merged again with a newer run: still every key once, in order.
    TreeSet<byte[]> more = ascendingRuns(6_000, 2_000).get(1);
    KeyRun again = KeyRuns.merge(List.of(KeyRuns.merge(runs), build(more)));
    all.addAll(more);
    assertKeys(all, again);
  }

  @Test
  void runsThatInterleaveOrHoldDeadKeysAreMergedKeyByKey() {
    List<TreeSet<byte[]>> keys = ascendingRuns(3_000, 3_000);
    TreeSet<byte[]> all = new TreeSet<>(OrderedKeys.ORDER);
    keys.forEach(all::addAll);
    // One key of the second run moved into the first: the runs now overlap.
    byte[] moved = keys.get(1).pollLast();
    keys.get(0).add(moved);
    assertKeys(all, KeyRuns.merge(List.of(build(keys.get(0)), build(keys.get(1)))));
    // Disjoint again, but with a dead key: it must not survive the merge.
    List<TreeSet<byte[]>> fresh = ascendingRuns(3_000, 3_000);
    KeyRun a = build(fresh.get(0));
    byte[] gone = fresh.get(0).first();
    assertTrue(a.markDead(gone));
    TreeSet<byte[]> expected = new TreeSet<>(OrderedKeys.ORDER);
    fresh.forEach(expected::addAll);
    expected.remove(gone);
    assertKeys(expected, KeyRuns.merge(List.of(a, build(fresh.get(1)))));
  }

  @Test
  void mergesOfRunsThatShareALongPrefixAndEachOthersKeysMatchASortedSetOfTheLiveKeys() {
    Random r = new Random(12);
    byte[] alphabet = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
    for (int round = 0; round < 60; round++) {
      // A prefix of 0 to 12 bytes every key shares, then 0 to 14 bytes over a tiny alphabet with zeros:
      // keys that are prefixes of others, keys equal to a window's padding, the same key in several runs.
      byte[] prefix = new byte[r.nextInt(13)];
      r.nextBytes(prefix);
      int tail = 1 + r.nextInt(14);
      TreeSet<byte[]> live = new TreeSet<>(OrderedKeys.ORDER);
      List<KeyRun> runs = new ArrayList<>();
      List<TreeSet<byte[]>> contents = new ArrayList<>();
      for (int k = 0; k < 1 + r.nextInt(5); k++) {
        TreeSet<byte[]> mine = new TreeSet<>(OrderedKeys.ORDER);
        for (int i = 0; i < r.nextInt(600); i++) {
          byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + r.nextInt(tail + 1));
          for (int j = prefix.length; j < key.length; j++) {
            key[j] = alphabet[r.nextInt(alphabet.length)];
          }
          if (key.length > 0) {
            mine.add(key);
          }
        }
        contents.add(mine);
        runs.add(build(mine));
      }
      // Some keys die in some runs; a key is live if a run holds it alive.
      for (int k = 0; k < runs.size(); k++) {
        for (byte[] key : contents.get(k)) {
          if (r.nextInt(8) == 0) {
            assertTrue(runs.get(k).markDead(key));
          } else {
            live.add(key);
          }
        }
      }
      KeyRun merged = KeyRuns.merge(runs);
      List<byte[]> expected = new ArrayList<>(live);
      assertEquals(expected.size(), merged.size(), "round " + round);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), merged.key(i), "round " + round + ", key " + i);
      }
    }
  }
}
