package dev.sett.core;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * Sorts keys in unsigned lexicographic order by radix on eight bytes at a time, where a comparison
 * sort of byte arrays was most of the CPU the background sealer and the writer spent on a bulk load.
 *
 * <p>Why: a sealed segment's hint lists its keys in order (so that an open builds the ordered keys
 * without sorting), and a batch's new keys join the ordered keys in order. A comparison sort of
 * {@code byte[]}s chases a pointer into each key at every one of its {@code n log n} comparisons;
 * sorting half a million keys of a 64 MiB segment that way took about a third of a second of the
 * sealer's time, on a machine whose second core the writer needed. Here each key is read a few times:
 * the bytes after the prefix every key shares become one {@code long} (zero-padded), the items are
 * radix-sorted on it (stable, least significant byte first, skipping bytes every item shares), and
 * only items whose eight bytes tie are ordered again, by the next eight bytes or by comparison.
 *
 * <p>Keys come either as arrays of their own or packed end to end in one array (a sealed segment's
 * hint entries, which would otherwise be half a million small arrays per segment, each surviving
 * long enough to be copied into the old generation). The sort reads them through {@link Keys}, one
 * implementation for each.
 *
 * <p>Stateless and thread-safe.
 */
final class KeySort {
  /** Groups of at most this many tied items are ordered by insertion: cheaper than another pass. */
  private static final int SMALL = 24;

  private KeySort() {
  }

  /**
   * The order of {@code keys} (unchanged): {@code result[r]} is the index of the key of rank
   * {@code r}. Equal keys are ordered by {@code tieBreak} applied to their indexes (negative,
   * zero or positive as for a comparator); with {@code tieBreak} null they keep their index order.
   */
  static int[] order(byte[][] keys, int n, IntBinaryOperator tieBreak) {
    return order(new SeparateKeys(keys), n, tieBreak);
  }

  /**
   * As {@link #order(byte[][], int, IntBinaryOperator)}, for {@code n} keys packed in {@code bytes}:
   * key {@code i} is {@code bytes[starts[i], starts[i + 1])}.
   */
  static int[] order(byte[] bytes, int[] starts, int n, IntBinaryOperator tieBreak) {
    return order(new PackedKeys(bytes, starts), n, tieBreak);
  }

  private static int[] order(Keys keys, int n, IntBinaryOperator tieBreak) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    if (n > 1 && !inOrder(keys, n, tieBreak)) {
      sortRange(keys, idx, new int[n], new long[n], new long[n], 0, n, 0, tieBreak);
    }
    return idx;
  }

  /**
   * Whether the keys are in order already: keys often come in order (a changelog or a load in key
   * order, a segment written by such a load), and a check stops at the first pair out of order,
   * where the radix passes would cost the same whatever the input.
   */
  private static boolean inOrder(Keys keys, int n, IntBinaryOperator tieBreak) {
    for (int i = 1; i < n; i++) {
      if (compare(keys, i - 1, i, tieBreak) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Sorts {@code keys[0, n)} in place (ties: any order, which for equal keys does not show). */
  static void sort(byte[][] keys, int n) {
    Keys k = new SeparateKeys(keys);
    if (inOrder(k, n, null)) {
      return;
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    // Not order(), which would check the order a second time.
    sortRange(k, idx, new int[n], new long[n], new long[n], 0, n, 0, null);
    byte[][] sorted = new byte[n][];
    for (int r = 0; r < n; r++) {
      sorted[r] = keys[idx[r]];
    }
    System.arraycopy(sorted, 0, keys, 0, n);
  }

  /** The keys being sorted, by index. */
  private abstract static class Keys {
    abstract int length(int i);

    /** Bytes {@code [from, from + 8)} of key {@code i} as an unsigned big-endian number, zero-padded. */
    abstract long window(int i, int from);

    /** Unsigned lexicographic comparison of keys {@code a} and {@code b}. */
    abstract int compare(int a, int b);

    /**
     * The first index in {@code [from, end)} where keys {@code a} and {@code b} differ, relative to
     * {@code from}, or -1; both are at least {@code end} long.
     */
    abstract int mismatch(int a, int b, int from, int end);
  }

  private static final class SeparateKeys extends Keys {
    private final byte[][] keys;

    SeparateKeys(byte[][] keys) {
      this.keys = keys;
    }

    @Override
    int length(int i) {
      return keys[i].length;
    }

    @Override
    long window(int i, int from) {
      byte[] k = keys[i];
      return KeySort.window(k, 0, k.length, from);
    }

    @Override
    int compare(int a, int b) {
      return Arrays.compareUnsigned(keys[a], keys[b]);
    }

    @Override
    int mismatch(int a, int b, int from, int end) {
      return Arrays.mismatch(keys[a], from, end, keys[b], from, end);
    }
  }

  private static final class PackedKeys extends Keys {
    private final byte[] bytes;
    private final int[] starts;

    PackedKeys(byte[] bytes, int[] starts) {
      this.bytes = bytes;
      this.starts = starts;
    }

    @Override
    int length(int i) {
      return starts[i + 1] - starts[i];
    }

    @Override
    long window(int i, int from) {
      return KeySort.window(bytes, starts[i], starts[i + 1] - starts[i], from);
    }

    @Override
    int compare(int a, int b) {
      return Arrays.compareUnsigned(bytes, starts[a], starts[a + 1], bytes, starts[b], starts[b + 1]);
    }

    @Override
    int mismatch(int a, int b, int from, int end) {
      int sa = starts[a];
      int sb = starts[b];
      return Arrays.mismatch(bytes, sa + from, sa + end, bytes, sb + from, sb + end);
    }
  }

  /**
   * Orders {@code idx[lo, hi)}, whose keys are known to share their first {@code known} bytes (or
   * to end within them), using {@code tmp}, {@code w} and {@code wTmp} over the same range.
   */
  private static void sortRange(Keys keys, int[] idx, int[] tmp, long[] w, long[] wTmp, int lo, int hi,
      int known, IntBinaryOperator tieBreak) {
    if (hi - lo <= SMALL) {
      insertionSort(keys, idx, lo, hi, tieBreak);
      return;
    }
    int shared = sharedPrefix(keys, idx, lo, hi, known);
    boolean longer = false;
    for (int i = lo; i < hi; i++) {
      int k = idx[i];
      w[i] = keys.window(k, shared);
      longer |= keys.length(k) > shared + 8;
    }
    radix(idx, tmp, w, wTmp, lo, hi);
    // Runs of equal windows: keys equal in their first shared + 8 bytes (or ending within them).
    int start = lo;
    for (int i = lo + 1; i <= hi; i++) {
      if (i == hi || w[i] != w[start]) {
        if (i - start > 1) {
          if (longer) {
            sortRange(keys, idx, tmp, w, wTmp, start, i, shared + 8, tieBreak);
          } else {
            insertionOrMerge(keys, idx, start, i, tieBreak);
          }
        }
        start = i;
      }
    }
  }

  /** How many bytes from {@code known} on every key of the range shares with the first. */
  private static int sharedPrefix(Keys keys, int[] idx, int lo, int hi, int known) {
    int first = idx[lo];
    int shared = keys.length(first);
    for (int i = lo + 1; i < hi && shared > known; i++) {
      int k = idx[i];
      int length = keys.length(k);
      if (length <= known) {
        return known; // it ends within what is known: nothing more is shared
      }
      int end = Math.min(shared, length);
      int m = keys.mismatch(first, k, known, end);
      shared = m < 0 ? end : known + m;
    }
    return Math.max(shared, known);
  }

  /**
   * Bytes {@code [from, from + 8)} of the key held in {@code length} bytes of {@code k} from
   * {@code at}, as an unsigned big-endian number, zero-padded: keys that share their first
   * {@code from} bytes compare as their windows do, unless the windows are equal. Also used by
   * {@link KeyRuns#merge}.
   */
  static long window(byte[] k, int at, int length, int from) {
    long v = 0;
    int end = Math.min(length, from + 8);
    for (int i = from; i < end; i++) {
      v = (v << 8) | (k[at + i] & 0xFF);
    }
    return v << (8 * (from + 8 - Math.max(end, from)));
  }

  /** Stable LSD radix sort of {@code idx[lo, hi)} by the unsigned {@code w}, a byte per pass. */
  private static void radix(int[] idx, int[] tmp, long[] w, long[] wTmp, int lo, int hi) {
    int[] count = new int[257];
    for (int shift = 0; shift < 64; shift += 8) {
      Arrays.fill(count, 0);
      for (int i = lo; i < hi; i++) {
        count[(int) (w[i] >>> shift) & 0xFF]++;
      }
      if (count[(int) (w[lo] >>> shift) & 0xFF] == hi - lo) {
        continue; // every item has this byte: the pass would change nothing
      }
      int sum = lo;
      for (int b = 0; b < 256; b++) {
        int c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (int i = lo; i < hi; i++) {
        int to = count[(int) (w[i] >>> shift) & 0xFF]++;
        tmp[to] = idx[i];
        wTmp[to] = w[i];
      }
      System.arraycopy(tmp, lo, idx, lo, hi - lo);
      System.arraycopy(wTmp, lo, w, lo, hi - lo);
    }
  }

  private static int compare(Keys keys, int a, int b, IntBinaryOperator tieBreak) {
    int c = keys.compare(a, b);
    if (c != 0) {
      return c;
    }
    return tieBreak != null ? tieBreak.applyAsInt(a, b) : Integer.compare(a, b);
  }

  private static void insertionSort(Keys keys, int[] idx, int lo, int hi, IntBinaryOperator tieBreak) {
    for (int i = lo + 1; i < hi; i++) {
      int v = idx[i];
      int j = i - 1;
      while (j >= lo && compare(keys, idx[j], v, tieBreak) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
  }

  /**
   * Items whose keys all end within the bytes compared so far, so equal in content up to their
   * lengths (a key that is a prefix of another, or equal keys): a comparison sort, which is rare.
   */
  private static void insertionOrMerge(Keys keys, int[] idx, int lo, int hi, IntBinaryOperator tieBreak) {
    if (hi - lo <= SMALL) {
      insertionSort(keys, idx, lo, hi, tieBreak);
      return;
    }
    Integer[] boxed = new Integer[hi - lo];
    for (int i = lo; i < hi; i++) {
      boxed[i - lo] = idx[i];
    }
    Arrays.sort(boxed, (a, b) -> compare(keys, a, b, tieBreak));
    for (int i = lo; i < hi; i++) {
      idx[i] = boxed[i - lo];
    }
  }
}
