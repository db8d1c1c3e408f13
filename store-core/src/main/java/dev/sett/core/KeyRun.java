package dev.sett.core;

import java.util.Arrays;

/**
 * An immutable run of distinct keys in unsigned lexicographic order, packed: the key bytes of each
 * block of {@value #BLOCK} keys sit in one array, with one {@code int} end offset per key, so a run
 * costs 4 bytes per key beside the key bytes (a skip-list node cost 72) and is walked forwards and
 * backwards at the same speed, with no pointer chasing.
 *
 * <p>The only mutable part is the dead-key bitmap: a key that left the store (compaction dropped
 * its last tombstone) is marked, and the next merge leaves it out. Readers may see a mark late;
 * every scan resolves each key against the store anyway, so a late mark costs a lookup, never a
 * wrong answer.
 *
 * <p><b>Threading.</b> Immutable apart from {@link #markDead}, which only the store's writer calls;
 * any number of readers.
 */
final class KeyRun {
  static final int SHIFT = 10;
  static final int BLOCK = 1 << SHIFT;
  private static final int MASK = BLOCK - 1;
  static final KeyRun EMPTY = new Builder(0).build();

  private final byte[][] data;
  private final int[][] ends;
  private final int size;
  private final long keyBytes;
  private volatile long[] dead;
  private int deadCount;

  private KeyRun(byte[][] data, int[][] ends, int size, long keyBytes) {
    this.data = data;
    this.ends = ends;
    this.size = size;
    this.keyBytes = keyBytes;
  }

  int size() {
    return size;
  }

  /** Keys marked dead; merges leave them out. */
  int deadCount() {
    return deadCount;
  }

  /** Heap bytes held: key bytes, end offsets, array headers, the dead bitmap. */
  long memoryBytes() {
    long[] d = dead;
    return keyBytes + 4L * size + 40L * data.length + (d == null ? 0 : 8L * d.length + 16);
  }

  private int start(int i) {
    int j = i & MASK;
    return j == 0 ? 0 : ends[i >>> SHIFT][j - 1];
  }

  /** A copy of key {@code i}. */
  byte[] key(int i) {
    int s = start(i);
    return Arrays.copyOfRange(data[i >>> SHIFT], s, ends[i >>> SHIFT][i & MASK]);
  }

  /** Compares key {@code i} with {@code key}, unsigned, as {@link Arrays#compareUnsigned}. */
  int compareAt(int i, byte[] key) {
    int s = start(i);
    return Arrays.compareUnsigned(data[i >>> SHIFT], s, ends[i >>> SHIFT][i & MASK], key, 0, key.length);
  }

  /** Compares key {@code i} of this run with key {@code j} of {@code other}. */
  int compareAt(int i, KeyRun other, int j) {
    int s = start(i);
    int t = other.start(j);
    return Arrays.compareUnsigned(data[i >>> SHIFT], s, ends[i >>> SHIFT][i & MASK],
        other.data[j >>> SHIFT], t, other.ends[j >>> SHIFT][j & MASK]);
  }

  /** The index of the first key {@code >= key} (or {@link #size()}). */
  int ceiling(byte[] key) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareAt(mid, key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The index of {@code key}, or -1. */
  int indexOf(byte[] key) {
    int i = ceiling(key);
    return i < size && compareAt(i, key) == 0 ? i : -1;
  }

  boolean isDead(int i) {
    long[] d = dead;
    return d != null && (d[i >>> 6] & (1L << i)) != 0;
  }

  /** Marks {@code key} dead if this run holds it; returns whether it did. Writer only. */
  boolean markDead(byte[] key) {
    int i = indexOf(key);
    if (i < 0 || isDead(i)) {
      return false;
    }
    long[] d = dead;
    if (d == null) {
      d = new long[(size + 63) >>> 6];
      dead = d;
    }
    d[i >>> 6] |= 1L << i;
    deadCount++;
    return true;
  }

  /** Appends key {@code i} to {@code out}. */
  void copyTo(int i, Builder out) {
    int s = start(i);
    out.add(data[i >>> SHIFT], s, ends[i >>> SHIFT][i & MASK] - s);
  }

  /** Builds a run from keys given in strictly increasing order. */
  static final class Builder {
    private byte[][] data;
    private int[][] ends;
    private int size;
    private long keyBytes;
    private byte[] block;
    private int blockFill;
    private final int expected;

    Builder(int expectedKeys) {
      this.expected = Math.max(expectedKeys, 1);
      int blocks = (this.expected + MASK) >>> SHIFT;
      data = new byte[Math.max(blocks, 1)][];
      ends = new int[Math.max(blocks, 1)][];
    }

    int size() {
      return size;
    }

    void add(byte[] key) {
      add(key, 0, key.length);
    }

    /** Whether the last key added equals {@code length} bytes of {@code key} from {@code keyFrom}. */
    boolean endsWith(byte[] key, int keyFrom, int length) {
      if (size == 0) {
        return false;
      }
      int j = (size - 1) & MASK;
      int from = j == 0 ? 0 : ends[(size - 1) >>> SHIFT][j - 1];
      return Arrays.equals(data[(size - 1) >>> SHIFT], from, ends[(size - 1) >>> SHIFT][j], key, keyFrom,
          keyFrom + length);
    }

    void add(byte[] src, int from, int length) {
      int b = size >>> SHIFT;
      int j = size & MASK;
      if (j == 0) {
        if (b == data.length) {
          data = Arrays.copyOf(data, b * 2);
          ends = Arrays.copyOf(ends, b * 2);
        }
        int remainingKeys = Math.min(BLOCK, Math.max(expected - size, 16));
        block = new byte[Math.max(length * remainingKeys, 64)];
        blockFill = 0;
        ends[b] = new int[remainingKeys];
        data[b] = block;
      }
      if (blockFill + length > block.length) {
        block = Arrays.copyOf(block, Math.max(block.length * 2, blockFill + length));
        data[b] = block;
      }
      if (j == ends[b].length) {
        ends[b] = Arrays.copyOf(ends[b], Math.min(BLOCK, ends[b].length * 2));
      }
      System.arraycopy(src, from, block, blockFill, length);
      blockFill += length;
      ends[b][j] = blockFill;
      size++;
      keyBytes += length;
    }

    KeyRun build() {
      int blocks = (size + MASK) >>> SHIFT;
      byte[][] d = Arrays.copyOf(data, blocks);
      int[][] e = Arrays.copyOf(ends, blocks);
      if (blocks > 0) {
        // Trim the last block's slack: runs live long.
        int last = blocks - 1;
        int n = size - (last << SHIFT);
        e[last] = Arrays.copyOf(e[last], n);
        d[last] = Arrays.copyOf(d[last], e[last][n - 1]);
        for (int b = 0; b < last; b++) {
          if (d[b].length != e[b][BLOCK - 1]) {
            d[b] = Arrays.copyOf(d[b], e[b][BLOCK - 1]);
          }
        }
      }
      return new KeyRun(d, e, size, keyBytes);
    }
  }
}
