package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
