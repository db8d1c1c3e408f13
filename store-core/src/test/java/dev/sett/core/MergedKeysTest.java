package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.api.KeyRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MergedKeysTest {

  private static KeyRun run(TreeSet<byte[]> keys) {
    KeyRun.Builder b = new KeyRun.Builder(keys.size());
    keys.forEach(b::add);
    return b.build();
  }

  private static List<byte[]> drain(Iterator<byte[]> it) {
    List<byte[]> out = new ArrayList<>();
    while (it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void keysHeldByManyOverlappingLevelsComeOutOnceInOrderBothWays() {
    Random r = new Random(5);
    for (int round = 0; round < 200; round++) {
      int levels = 1 + r.nextInt(9);
      TreeSet<byte[]> union = new TreeSet<>(OrderedKeys.ORDER);
      List<KeyRun> runs = new ArrayList<>();
      for (int l = 0; l < levels; l++) {
        TreeSet<byte[]> mine = new TreeSet<>(OrderedKeys.ORDER);
        int n = r.nextInt(l == 0 ? 300 : 40); // one large level and small ones, as a store holds
        for (int i = 0; i < n; i++) {
          byte[] k = new byte[1 + r.nextInt(3)];
          for (int j = 0; j < k.length; j++) {
            k[j] = (byte) (r.nextInt(3) * 100); // few distinct keys: most sit in several levels
          }
          mine.add(k);
        }
        union.addAll(mine);
        runs.add(run(mine));
      }
      for (KeyRange range : List.of(KeyRange.all(), KeyRange.all().reverse(),
          KeyRange.between(new byte[] {100}, new byte[] {(byte) 200, 0}),
          KeyRange.between(new byte[] {100}, new byte[] {(byte) 200, 0}).reverse())) {
        List<MergedKeys.Source> sources = new ArrayList<>();
        runs.forEach(run -> sources.add(MergedKeys.of(run, range)));
        List<byte[]> expected = new ArrayList<>();
        for (byte[] k : range.isReverse() ? union.descendingSet() : union) {
          if (range.contains(k)) {
            expected.add(k);
          }
        }
        List<byte[]> got = drain(new MergedKeys(sources, range.isReverse()));
        assertEquals(expected.size(), got.size(), "round " + round + ", " + levels + " levels, " + range);
        for (int i = 0; i < expected.size(); i++) {
          assertArrayEquals(expected.get(i), got.get(i), "round " + round + ", key " + i + " of " + range);
        }
      }
    }
  }

  @Test
  void noSourcesMeansNoKeysAndNextThrows() {
    MergedKeys none = new MergedKeys(List.of(MergedKeys.of(KeyRun.EMPTY, KeyRange.all())), false);
    assertFalse(none.hasNext());
    assertThrows(NoSuchElementException.class, none::next);
  }
}
