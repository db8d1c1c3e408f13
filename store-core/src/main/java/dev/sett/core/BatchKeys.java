package dev.sett.core;

import dev.sett.api.WriteBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * What the writer needs to know about a batch's operations before it takes the write lock: which
 * operations a later one on the same key overrides, and whether any carries its own ttl. Stateless.
 */
final class BatchKeys {
  private BatchKeys() {
  }

  /** Whether any operation carries a ttl of its own. */
  static boolean hasTtl(List<WriteBatch.Op> ops) {
    for (WriteBatch.Op op : ops) {
      if (op.ttl() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The operations of a batch without those a later one on the same key overrides, in the order of
   * each key's last operation; {@code hashes} receives every operation's key hash. An open-addressing
   * table of operation indices finds repeats without wrapping each key in an object.
   */
  static List<WriteBatch.Op> lastOfEachKey(List<WriteBatch.Op> all, int[] hashes) {
    int n = all.size();
    int mask = Integer.highestOneBit(Math.max(2, n) * 2 - 1) * 2 - 1;
    int[] slots = new int[mask + 1];
    boolean[] superseded = null;
    for (int i = 0; i < n; i++) {
      byte[] key = all.get(i).key();
      int h = KeyHash.hash(key);
      hashes[i] = h;
      int j = h & mask;
      for (;; j = (j + 1) & mask) {
        int k = slots[j] - 1;
        if (k < 0) {
          break;
        }
        if (hashes[k] == h && java.util.Arrays.equals(all.get(k).key(), key)) {
          if (superseded == null) {
            superseded = new boolean[n];
          }
          superseded[k] = true;
          break;
        }
      }
      slots[j] = i + 1;
    }
    if (superseded == null) {
      return all;
    }
    List<WriteBatch.Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!superseded[i]) {
        ops.add(all.get(i));
      }
    }
    return ops;
  }
}
