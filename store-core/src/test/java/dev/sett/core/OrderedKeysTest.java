package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.KeyRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The log-structured ordered key set against a {@link TreeSet} model: adds, removals and re-adds
 * across delta freezes and background merges, read forwards, backwards and by range.
 */
class OrderedKeysTest {

  private static byte[] key(Random r) {
    byte[] k = new byte[1 + r.nextInt(6)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (r.nextInt(4) * 64 + r.nextInt(3)); // unsigned order matters: bytes >= 0x80
    }
    return k;
  }

  private static List<byte[]> read(OrderedKeys keys, KeyRange range) {
    List<byte[]> out = new ArrayList<>();
    for (Iterator<byte[]> it = keys.iterate(range); it.hasNext();) {
      out.add(it.next());
    }
    return out;
  }

  private static List<byte[]> model(TreeSet<byte[]> model, KeyRange range) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] k : model) {
      if (range.contains(k)) {
        out.add(k);
      }
    }
    if (range.isReverse()) {
      java.util.Collections.reverse(out);
    }
    return out;
  }

  private static void assertSameKeys(List<byte[]> expected, List<byte[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": count");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + ": key " + i);
    }
  }

  private static void check(OrderedKeys keys, TreeSet<byte[]> model, Random r, String when) {
    assertSameKeys(model(model, KeyRange.all()), read(keys, KeyRange.all()), when + ", forward");
    assertSameKeys(model(model, KeyRange.all().reverse()), read(keys, KeyRange.all().reverse()), when + ", reverse");
    for (int i = 0; i < 5; i++) {
      byte[] a = key(r);
      byte[] b = key(r);
      if (OrderedKeys.ORDER.compare(a, b) > 0) {
        byte[] t = a;
        a = b;
        b = t;
      }
      for (KeyRange range : List.of(KeyRange.between(a, b), KeyRange.between(a, b).reverse(),
          KeyRange.prefix(new byte[] {a[0]}), KeyRange.prefix(new byte[] {a[0]}).reverse())) {
        assertSameKeys(model(model, range), read(keys, range), when + ", " + range);
      }
    }
  }

  @Test
  void addsRemovesAndReaddsAcrossFreezesAndMergesMatchASortedSet() throws Exception {
    Random r = new Random(7);
    for (int round = 0; round < 10; round++) {
      OrderedKeys keys = new OrderedKeys(1 + r.nextInt(r.nextBoolean() ? 40 : 400)); // deltas of one leaf, and of several
      TreeSet<byte[]> model = new TreeSet<>(OrderedKeys.ORDER);
      for (int op = 0; op < 3_000; op++) {
        byte[] k = key(r);
        if (r.nextInt(3) == 0) {
          if (model.remove(k)) {
            keys.remove(k); // the store removes only keys it holds
          }
        } else if (model.add(k)) {
          keys.add(k.clone());
        }
        if (op % 500 == 499) {
          check(keys, model, r, "round " + round + " op " + op + " (merges may be running)");
          keys.awaitMerges();
          check(keys, model, r, "round " + round + " op " + op + " (merged)");
        }
      }
      keys.awaitMerges();
      assertTrue(keys.sources() <= 1 + OrderedKeys.MAX_RUNS, "runs were not merged: " + keys.sources());
    }
  }

  @Test
  void recoveryBuildsOneRunPerSegmentFromSortedOrUnsortedKeys() throws Exception {
    Random r = new Random(11);
    OrderedKeys keys = new OrderedKeys();
    TreeSet<byte[]> model = new TreeSet<>(OrderedKeys.ORDER);
    keys.beginBulk();
    for (int segment = 0; segment < 12; segment++) {
      TreeSet<byte[]> mine = new TreeSet<>(OrderedKeys.ORDER);
      for (int i = 0; i < 200; i++) {
        byte[] k = key(r);
        if (!model.contains(k)) {
          mine.add(k);
        }
      }
      model.addAll(mine);
      List<byte[]> order = new ArrayList<>(mine);
      if (segment % 2 == 0) {
        java.util.Collections.shuffle(order, r); // as a version-1 hint or a scan gives them
      }
      order.forEach(keys::add);
      keys.endBulkRun();
    }
    keys.finishBulk();
    check(keys, model, r, "right after recovery");
    keys.awaitMerges();
    assertEquals(2, keys.sources(), "the segments' runs were merged into one (plus the delta)");
    check(keys, model, r, "after the merge");
  }

  @Test
  void releaseDropsEveryKeyAndAMergeRunningThenInstallsNothing() throws Exception {
    for (int round = 0; round < 20; round++) {
      OrderedKeys keys = new OrderedKeys(64);
      Random r = new Random(round);
      for (int i = 0; i < 20_000; i++) {
        keys.add(java.nio.ByteBuffer.allocate(8).putLong(r.nextLong()).array());
      }
      // Merges of the frozen deltas are running or queued now.
      keys.release();
      keys.awaitMerges();
      assertEquals(0, keys.memoryBytes(), "round " + round);
      assertEquals(List.of(), read(keys, KeyRange.all()), "round " + round);
    }
  }

  @Test
  void aMergeKeepsRemovalsMadeWhileItRan() throws Exception {
    OrderedKeys keys = new OrderedKeys(64);
    TreeSet<byte[]> model = new TreeSet<>(OrderedKeys.ORDER);
    Random r = new Random(3);
    for (int i = 0; i < 60_000; i++) {
      byte[] k = java.nio.ByteBuffer.allocate(8).putLong(r.nextLong()).array();
      if (model.add(k)) {
        keys.add(k.clone());
      }
      if (i % 7 == 0) {
        byte[] victim = model.pollFirst();
        keys.remove(victim);
      }
    }
    keys.awaitMerges();
    assertSameKeys(model(model, KeyRange.all()), read(keys, KeyRange.all()), "after merges raced removals");
    long before = keys.memoryBytes();
    // Drop nine keys in ten: runs that are mostly dropped keys are rewritten without them.
    List<byte[]> all = new ArrayList<>(model);
    for (int i = 0; i < all.size(); i++) {
      if (i % 10 != 0) {
        model.remove(all.get(i));
        keys.remove(all.get(i));
      }
    }
    keys.awaitMerges();
    assertSameKeys(model(model, KeyRange.all()), read(keys, KeyRange.all()), "after dropping most keys");
    assertTrue(keys.memoryBytes() < before / 4, "dropped keys still take memory: " + keys.memoryBytes()
        + " bytes, " + before + " before");
  }

  @Test
  void batchesOfNewKeysLargeAndSmallMatchASortedSetThroughRemovalsAndMerges() throws Exception {
    Random r = new Random(13);
    OrderedKeys keys = new OrderedKeys(300);
    TreeSet<byte[]> model = new TreeSet<>(OrderedKeys.ORDER);
    for (int batch = 0; batch < 120; batch++) {
      // Sizes on both sides of OWN_PIECE: small batches merge into the delta, large ones are pieces.
      int size = r.nextBoolean() ? r.nextInt(OrderedKeys.OWN_PIECE) : OrderedKeys.OWN_PIECE + r.nextInt(700);
      List<byte[]> fresh = new ArrayList<>();
      TreeSet<byte[]> inBatch = new TreeSet<>(OrderedKeys.ORDER);
      for (int i = 0; i < size; i++) {
        byte[] k = java.nio.ByteBuffer.allocate(1 + r.nextInt(9)).put((byte) r.nextInt(3)).array();
        for (int j = 1; j < k.length; j++) {
          k[j] = (byte) r.nextInt(256);
        }
        if (!model.contains(k) && inBatch.add(k)) {
          fresh.add(k.clone());
        }
      }
      model.addAll(inBatch);
      keys.addAll(fresh);
      for (int i = 0; i < 20 && !model.isEmpty(); i++) {
        // Anywhere in the order, so that no batch's first or last keys are always the ones to go.
        byte[] victim = model.ceiling(new byte[] {(byte) r.nextInt(3), (byte) r.nextInt(256)});
        victim = victim != null ? victim : model.first();
        model.remove(victim);
        keys.remove(victim);
      }
      if (batch % 10 == 9) {
        check(keys, model, r, "batch " + batch + " (merges may be running)");
      }
      if (batch % 30 == 29) {
        keys.awaitMerges();
        check(keys, model, r, "batch " + batch + " (merged)");
      }
    }
    keys.awaitMerges();
    check(keys, model, r, "the end");
    assertTrue(keys.sources() <= 1 + OrderedKeys.MAX_RUNS, "pieces were merged: " + keys.sources());
  }
}
