package dev.sett.core;

import java.util.Arrays;

/**
 * An immutable run of distinct keys in unsigned lexicographic order, packed and prefix-compressed:
 * each block of {@value #BLOCK} keys stores the prefix its keys share once, and the rest of each key
 * in one array, with one {@code int} end offset per key. A run costs 4 bytes per key beside the key
 * bytes it does not share with its block (a skip-list node cost 72; for keys such as
 * {@code user:000012345678}, whose neighbours in order share most of their bytes, a 16-byte key
 * keeps 3 or 4 of them), and is walked forwards and backwards at the same speed, with no pointer
 * chasing. The shared prefix of a block is the common prefix of its first and last key: in sorted
 * order every key between them has it too.
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
  private static final byte[] NO_PREFIX = new byte[0];
  static final KeyRun EMPTY = new Builder(0).build();

  /** Per block: the bytes after the block's shared prefix of each key, back to back. */
  private final byte[][] data;
  /** Per block: where each key's bytes end in {@code data}. */
  private final int[][] ends;
  /** Per block: the prefix every key of the block starts with. */
  private final byte[][] prefixes;
  private final int size;
  /** Bytes stored for the keys: prefixes once per block, the rest once per key. */
  private final long storedBytes;
  private volatile long[] dead;
  private int deadCount;

  private KeyRun(byte[][] data, int[][] ends, byte[][] prefixes, int size, long storedBytes) {
    this.data = data;
    this.ends = ends;
    this.prefixes = prefixes;
    this.size = size;
    this.storedBytes = storedBytes;
  }

  int size() {
    return size;
  }

  /** Keys not marked dead. */
  long liveCount() {
    return size() - (long) deadCount();
  }

  /** Keys marked dead; merges leave them out. */
  int deadCount() {
    return deadCount;
  }

  /** Heap bytes held: key bytes, end offsets, array headers, the dead bitmap. */
  long memoryBytes() {
    long[] d = dead;
    return storedBytes + 4L * size + 56L * data.length + (d == null ? 0 : 8L * d.length + 16);
  }

  private int start(int i) {
    int j = i & MASK;
    return j == 0 ? 0 : ends[i >>> SHIFT][j - 1];
  }

  /** The length of key {@code i}. */
  int keyLength(int i) {
    return prefixes[i >>> SHIFT].length + ends[i >>> SHIFT][i & MASK] - start(i);
  }

  /** A copy of key {@code i}. */
  byte[] key(int i) {
    byte[] out = new byte[keyLength(i)];
    keyInto(i, out);
    return out;
  }

  /** Copies key {@code i} to the start of {@code out} (at least {@link #keyLength} long). */
  void keyInto(int i, byte[] out) {
    byte[] p = prefixes[i >>> SHIFT];
    int s = start(i);
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(data[i >>> SHIFT], s, out, p.length, ends[i >>> SHIFT][i & MASK] - s);
  }

  /** Compares key {@code i} with {@code key}, unsigned, as {@link Arrays#compareUnsigned}. */
  int compareAt(int i, byte[] key) {
    return compareAt(i, key, 0, key.length);
  }

  /** Compares key {@code i} with {@code length} bytes of {@code key} from {@code from}. */
  int compareAt(int i, byte[] key, int from, int length) {
    byte[] p = prefixes[i >>> SHIFT];
    int shared = Math.min(p.length, length);
    int c = Arrays.compareUnsigned(p, 0, shared, key, from, from + shared);
    if (c != 0) {
      return c;
    }
    if (length < p.length) {
      return 1; // the given key is a proper prefix of the block's prefix, so of key i
    }
    int s = start(i);
    return Arrays.compareUnsigned(data[i >>> SHIFT], s, ends[i >>> SHIFT][i & MASK],
        key, from + p.length, from + length);
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

  /**
   * Builds a run from keys given in strictly increasing order. A block is written whole (each key in
   * full) and compressed once the next block starts or the run is built, when its last key is known.
   */
  static final class Builder {
    private byte[][] data;
    private int[][] ends;
    private byte[][] prefixes;
    private int size;
    private long storedBytes;
    private byte[] block;
    private int blockFill;
    private final int expected;
    /** Leading blocks taken whole from another run (see {@link #continuing}): already compressed. */
    private int sharedBlocks;

    Builder(int expectedKeys) {
      this.expected = Math.max(expectedKeys, 1);
      int blocks = Math.max((this.expected + MASK) >>> SHIFT, 1);
      data = new byte[blocks][];
      ends = new int[blocks][];
      prefixes = new byte[blocks][];
    }

    /**
     * A builder whose run starts with the full blocks of {@code run}, shared rather than copied (runs
     * are immutable but for their dead marks, which stay with each run); the caller adds the keys of
     * {@code run} after its last full block, then keys after them. For an ascending load, whose newer
     * runs hold only larger keys, a merge then costs the new keys rather than every key again.
     */
    static Builder continuing(KeyRun run, int expectedKeys) {
      Builder b = new Builder(expectedKeys);
      int full = run.size >>> SHIFT;
      if (b.data.length < full + 1) {
        b.data = Arrays.copyOf(b.data, full + 1);
        b.ends = Arrays.copyOf(b.ends, full + 1);
        b.prefixes = Arrays.copyOf(b.prefixes, full + 1);
      }
      for (int i = 0; i < full; i++) {
        b.data[i] = run.data[i];
        b.ends[i] = run.ends[i];
        b.prefixes[i] = run.prefixes[i];
        b.storedBytes += run.prefixes[i].length + run.data[i].length;
      }
      b.size = full << SHIFT;
      b.sharedBlocks = full;
      return b;
    }

    /** How many keys of {@code run} {@link #continuing} took: those of its full blocks. */
    static int continuedKeys(KeyRun run) {
      return (run.size >>> SHIFT) << SHIFT;
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
      // The last key's block is the one being filled: not compressed yet.
      int j = (size - 1) & MASK;
      int from = j == 0 ? 0 : ends[(size - 1) >>> SHIFT][j - 1];
      return Arrays.equals(data[(size - 1) >>> SHIFT], from, ends[(size - 1) >>> SHIFT][j], key, keyFrom,
          keyFrom + length);
    }

    void add(byte[] src, int from, int length) {
      int b = size >>> SHIFT;
      int j = size & MASK;
      if (j == 0) {
        if (b > 0) {
          compress(b - 1);
        }
        if (b == data.length) {
          data = Arrays.copyOf(data, b * 2);
          ends = Arrays.copyOf(ends, b * 2);
          prefixes = Arrays.copyOf(prefixes, b * 2);
        }
        int remainingKeys = Math.min(BLOCK, Math.max(expected - size, 16));
        block = new byte[Math.max(length * remainingKeys, 64)];
        blockFill = 0;
        ends[b] = new int[remainingKeys];
        data[b] = block;
        prefixes[b] = NO_PREFIX;
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
    }

    /**
     * Rewrites full block {@code b} (its keys in full, {@code n} of them) as its shared prefix and
     * each key's remaining bytes, in arrays of exactly the size needed: runs live long.
     */
    private void compress(int b) {
      if (b < sharedBlocks) {
        return; // taken whole from another run: compressed already
      }
      int[] e = ends[b];
      byte[] d = data[b];
      int n = b == (size - 1) >>> SHIFT ? ((size - 1) & MASK) + 1 : BLOCK;
      int lastStart = n == 1 ? 0 : e[n - 2];
      int shared = Arrays.mismatch(d, 0, e[0], d, lastStart, e[n - 1]);
      if (shared < 0) {
        shared = e[0]; // a single key: all of it is the block's prefix
      }
      byte[] prefix = shared == 0 ? NO_PREFIX : Arrays.copyOf(d, shared);
      byte[] rest = new byte[e[n - 1] - n * shared];
      int[] restEnds = new int[n];
      int fill = 0;
      for (int k = 0; k < n; k++) {
        int s = k == 0 ? 0 : e[k - 1];
        int len = e[k] - s - shared;
        System.arraycopy(d, s + shared, rest, fill, len);
        fill += len;
        restEnds[k] = fill;
      }
      data[b] = rest;
      ends[b] = restEnds;
      prefixes[b] = prefix;
      storedBytes += prefix.length + rest.length;
    }

    KeyRun build() {
      int blocks = (size + MASK) >>> SHIFT;
      if (blocks > 0) {
        compress(blocks - 1);
      }
      return new KeyRun(Arrays.copyOf(data, blocks), Arrays.copyOf(ends, blocks), Arrays.copyOf(prefixes, blocks),
          size, storedBytes);
    }
  }
}
