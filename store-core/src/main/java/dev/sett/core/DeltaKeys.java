package dev.sett.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The newest keys of {@link OrderedKeys}, a few thousand at most: a one-level B-tree of small
 * sorted leaves, each an immutable array of at most {@value #LEAF} keys. An insert copies one leaf
 * (and, when it splits, the short leaf directory) and publishes the copy, so readers never see a
 * leaf change under them and need no lock; the leaves an insert touches are recent, contiguous
 * allocations, where a skip list chases a pointer per level through scattered nodes (it cost 27% of
 * a bulk load's CPU).
 *
 * <p><b>Threading.</b> One writer ({@link #add}, {@link #remove}); any number of readers, which see
 * a weakly consistent state: every change published before they started, and possibly some later.
 */
final class DeltaKeys {
  static final int LEAF = 32;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][][].class);
  private static final byte[][] NO_KEYS = new byte[0][];

  /** Leaves in key order; never empty (an empty set has one empty leaf). */
  private volatile byte[][][] leaves = {NO_KEYS};
  private int size;

  int size() {
    return size;
  }

  /**
   * A delta holding the first {@code n} of {@code keys}, distinct and in increasing order (not
   * modified afterwards), in leaves three-quarters full: built in one pass, for a large batch of new
   * keys that joins the ordered keys as a frozen delta of its own.
   */
  static DeltaKeys ofSorted(byte[][] keys, int n) {
    DeltaKeys d = new DeltaKeys();
    if (n == 0) {
      return d;
    }
    int per = LEAF * 3 / 4;
    byte[][][] dir = new byte[(n + per - 1) / per][][];
    for (int p = 0; p < dir.length; p++) {
      dir[p] = Arrays.copyOfRange(keys, p * per, Math.min(n, (p + 1) * per));
    }
    d.leaves = dir;
    d.size = n;
    return d;
  }

  /** The current leaf directory; its leaves are read with {@link #leaf}. */
  byte[][][] directory() {
    return leaves;
  }

  static byte[][] leaf(byte[][][] directory, int i) {
    return (byte[][]) SLOT.getAcquire(directory, i);
  }

  /** The leaf of {@code directory} that holds {@code key}, or would. */
  static int leafFor(byte[][][] directory, byte[] key) {
    int lo = 0;
    int hi = directory.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      byte[][] l = leaf(directory, mid);
      if (Arrays.compareUnsigned(l[0], key) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Index of {@code key} in {@code leaf}, or {@code -(insertion point) - 1}. */
  static int search(byte[][] leaf, byte[] key) {
    return Arrays.binarySearch(leaf, key, OrderedKeys.ORDER);
  }

  /** Adds {@code key} (not modified afterwards); false if present. Writer only. */
  boolean add(byte[] key) {
    byte[][][] dir = leaves;
    int li = leafFor(dir, key);
    byte[][] leaf = leaf(dir, li);
    int at = search(leaf, key);
    if (at >= 0) {
      return false;
    }
    at = -at - 1;
    byte[][] grown = new byte[leaf.length + 1][];
    System.arraycopy(leaf, 0, grown, 0, at);
    grown[at] = key;
    System.arraycopy(leaf, at, grown, at + 1, leaf.length - at);
    if (grown.length <= LEAF) {
      SLOT.setRelease(dir, li, grown);
    } else {
      int half = grown.length / 2;
      byte[][][] next = new byte[dir.length + 1][][];
      System.arraycopy(dir, 0, next, 0, li);
      next[li] = Arrays.copyOfRange(grown, 0, half);
      next[li + 1] = Arrays.copyOfRange(grown, half, grown.length);
      System.arraycopy(dir, li + 1, next, li + 2, dir.length - li - 1);
      leaves = next;
    }
    size++;
    return true;
  }

  /**
   * Adds the first {@code n} of {@code keys}, given in increasing order (not modified afterwards),
   * skipping those present; returns the number of key bytes added. Each leaf the keys fall in is
   * copied once for all of them, not once per key. Writer only.
   */
  long addSorted(byte[][] keys, int n) {
    long bytes = 0;
    int i = 0;
    while (i < n) {
      byte[][][] dir = leaves;
      int li = leafFor(dir, keys[i]);
      byte[] upper = li + 1 < dir.length ? leaf(dir, li + 1)[0] : null;
      int j = i + 1;
      while (j < n && (upper == null || Arrays.compareUnsigned(keys[j], upper) < 0)) {
        j++;
      }
      byte[][] leaf = leaf(dir, li);
      byte[][] merged = new byte[leaf.length + (j - i)][];
      int a = 0;
      int m = 0;
      for (int b = i; b < j; b++) {
        byte[] k = keys[b];
        while (a < leaf.length && Arrays.compareUnsigned(leaf[a], k) < 0) {
          merged[m++] = leaf[a++];
        }
        boolean present = a < leaf.length && Arrays.equals(leaf[a], k) || m > 0 && Arrays.equals(merged[m - 1], k);
        if (!present) {
          merged[m++] = k;
          bytes += k.length;
          size++;
        }
      }
      while (a < leaf.length) {
        merged[m++] = leaf[a++];
      }
      if (m <= LEAF) {
        if (m != leaf.length) {
          SLOT.setRelease(dir, li, m == merged.length ? merged : Arrays.copyOf(merged, m));
        }
      } else {
        // Split into leaves three-quarters full, so that the next inserts do not split them at once.
        int pieces = (m + (LEAF * 3 / 4) - 1) / (LEAF * 3 / 4);
        byte[][][] next = new byte[dir.length - 1 + pieces][][];
        System.arraycopy(dir, 0, next, 0, li);
        for (int p = 0; p < pieces; p++) {
          next[li + p] = Arrays.copyOfRange(merged, (int) ((long) m * p / pieces), (int) ((long) m * (p + 1) / pieces));
        }
        System.arraycopy(dir, li + 1, next, li + pieces, dir.length - li - 1);
        leaves = next;
      }
      i = j;
    }
    return bytes;
  }

  /** Removes {@code key}; false if absent. Writer only. */
  boolean remove(byte[] key) {
    byte[][][] dir = leaves;
    int li = leafFor(dir, key);
    byte[][] leaf = leaf(dir, li);
    int at = search(leaf, key);
    if (at < 0) {
      return false;
    }
    if (leaf.length == 1 && dir.length > 1) {
      byte[][][] next = new byte[dir.length - 1][][];
      System.arraycopy(dir, 0, next, 0, li);
      System.arraycopy(dir, li + 1, next, li, dir.length - li - 1);
      leaves = next;
    } else {
      byte[][] shrunk = new byte[leaf.length - 1][];
      System.arraycopy(leaf, 0, shrunk, 0, at);
      System.arraycopy(leaf, at + 1, shrunk, at, leaf.length - at - 1);
      SLOT.setRelease(dir, li, shrunk);
    }
    size--;
    return true;
  }

  /** Calls {@code action} with every key in order (for turning a frozen delta into a run). */
  void forEach(java.util.function.Consumer<byte[]> action) {
    byte[][][] dir = leaves;
    for (int i = 0; i < dir.length; i++) {
      for (byte[] k : leaf(dir, i)) {
        action.accept(k);
      }
    }
  }
}
