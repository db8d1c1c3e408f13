package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeltaKeysTest {
  private static List<String> contents(DeltaKeys delta) {
    List<String> out = new ArrayList<>();
    delta.forEach(k -> out.add(new String(k, StandardCharsets.UTF_8)));
    return out;
  }

  private static void assertLeavesWellFormed(DeltaKeys delta) {
    byte[][][] dir = delta.directory();
    for (int i = 0; i < dir.length; i++) {
      byte[][] leaf = DeltaKeys.leaf(dir, i);
      assertTrue(leaf.length <= DeltaKeys.LEAF, "leaf " + i + " holds " + leaf.length + " keys");
      assertTrue(dir.length == 1 || leaf.length > 0, "empty leaf " + i);
    }
  }

  /** Batches merged a leaf at a time give the same set, in order, as adding keys one by one. */
  @Test
  void sortedBatchesHoldWhatOneByOneAddsHold() {
    Random random = new Random(3);
    DeltaKeys batched = new DeltaKeys();
    DeltaKeys single = new DeltaKeys();
    TreeSet<String> model = new TreeSet<>();
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(round % 10 == 0 ? 400 : 40);
      TreeSet<String> batch = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        batch.add(String.format("k%05d", random.nextInt(20_000)));
      }
      byte[][] keys = batch.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
      long expectedBytes = 0;
      for (String k : batch) {
        if (!model.contains(k)) {
          expectedBytes += k.length();
        }
        single.add(k.getBytes(StandardCharsets.UTF_8));
      }
      model.addAll(batch);
      assertEquals(expectedBytes, batched.addSorted(keys, keys.length), "bytes added in round " + round);
      assertEquals(model.size(), batched.size());
      assertLeavesWellFormed(batched);
    }
    assertEquals(new ArrayList<>(model), contents(batched));
    assertEquals(contents(single), contents(batched));
  }

  @Test
  void keysAlreadyPresentAreNotAddedTwice() {
    DeltaKeys delta = new DeltaKeys();
    byte[][] keys = {"a".getBytes(), "b".getBytes(), "c".getBytes()};
    assertEquals(3, delta.addSorted(keys, 3));
    assertEquals(0, delta.addSorted(new byte[][] {"b".getBytes()}, 1));
    assertFalse(delta.add("c".getBytes()));
    assertEquals(List.of("a", "b", "c"), contents(delta));
    assertEquals(3, delta.size());
    assertTrue(Arrays.equals("a".getBytes(), DeltaKeys.leaf(delta.directory(), 0)[0]));
  }
}
