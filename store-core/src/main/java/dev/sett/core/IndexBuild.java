package dev.sett.core;

import java.util.Arrays;

/**
 * The records of one segment an open found, held so that they enter the hash index in hash order
 * rather than in the order found.
 *
 * <p>Inserting ten million keys in key or append order into a table of a few hundred megabytes
 * costs a cache and TLB miss per key (about five seconds at 10M keys on the reference machine). A
 * key's home slot grows with its unsigned hash ({@link HashIndex.Table#home}), so a segment's
 * records sorted by hash (a radix sort in cache) visit the table front to back, a page at a time.
 * The arrays are reused from one segment to the next: on a virtual machine every page of memory
 * touched for the first time costs a fault of several microseconds, which at this size costs more
 * than the sorting.
 *
 * <p><b>Lifetime and threading.</b> Made, filled and dropped by one open, on the opening thread.
 */
final class IndexBuild {
  /** Radix digits over the hash (the high 32 bits of an entry): 11 + 11 + 10 bits. */
  private static final int[] DIGIT_SHIFTS = {32, 43, 54};
  private static final int DIGIT_BITS = 11;

  /** Per record, in the order found: the key's hash in the high 32 bits, the record's number in the low. */
  private long[] entries = new long[1024];
  private long[] sortSpace = new long[1024];
  /**
   * Per record, the fields every insert reads, in one long (see {@link #packed}): the record's
   * offset in the low 32 bits, its type in the next 8, its key's fingerprint in the 8 above. Records
   * are visited in hash order, that is at random; separate arrays cost a cache miss each.
   */
  private long[] packed = new long[1024];
  private long[] sequences = new long[1024];
  private int[] sizes = new int[1024];
  /** Each record's key, as the source gave it (a hint's bytes), for comparing keys whose hashes match. */
  private byte[][] keyBytes = new byte[1024][];
  private int[] keyFroms = new int[1024];
  private int[] keyLengths = new int[1024];
  private final int[] counts = new int[1 << DIGIT_BITS];
  private int size;

  /** Forgets the records of the previous segment. */
  void clear() {
    Arrays.fill(keyBytes, 0, size, null); // hint buffers and keys are not kept past their segment
    size = 0;
  }

  int size() {
    return size;
  }

  /**
   * Records one record of the segment, its key being {@code keyLength} bytes of {@code key} from
   * {@code keyFrom} (not copied: they must stay unchanged until {@link #clear()}); records of one key
   * must be added oldest first.
   */
  void add(int hash, int fingerprint, int offset, long sequence, byte type, int recordSize, byte[] key, int keyFrom,
      int keyLength) {
    if (size == entries.length) {
      int grown = (int) Math.min(Integer.MAX_VALUE - 8L, size + (size >> 1) + 16L);
      if (grown == size) {
        throw new IllegalStateException("more than 2^31 records in one segment");
      }
      entries = Arrays.copyOf(entries, grown);
      packed = Arrays.copyOf(packed, grown);
      sequences = Arrays.copyOf(sequences, grown);
      sizes = Arrays.copyOf(sizes, grown);
      keyBytes = Arrays.copyOf(keyBytes, grown);
      keyFroms = Arrays.copyOf(keyFroms, grown);
      keyLengths = Arrays.copyOf(keyLengths, grown);
    }
    entries[size] = ((long) hash << 32) | size;
    packed[size] = (offset & 0xFFFF_FFFFL) | (type & 0xFFL) << 32 | (fingerprint & 0xFFL) << 40;
    sequences[size] = sequence;
    sizes[size] = recordSize;
    keyBytes[size] = key;
    keyFroms[size] = keyFrom;
    keyLengths[size] = keyLength;
    size++;
  }

  int offset(int record) {
    return offsetOf(packed[record]);
  }

  long sequence(int record) {
    return sequences[record];
  }

  int recordSize(int record) {
    return sizes[record];
  }

  byte[] keyBytes(int record) {
    return keyBytes[record];
  }

  int keyFrom(int record) {
    return keyFroms[record];
  }

  int keyLength(int record) {
    return keyLengths[record];
  }

  /** Offset, type and fingerprint of {@code record} in one load: decode with the static methods below. */
  long packed(int record) {
    return packed[record];
  }

  static int offsetOf(long packed) {
    return (int) packed;
  }

  static byte typeOf(long packed) {
    return (byte) (packed >>> 32);
  }

  static int fingerprintOf(long packed) {
    return (int) (packed >>> 40) & 0xFF;
  }

  /** The hash of an entry of {@link #sortedByHash()}. */
  static int hashOf(long entry) {
    return (int) (entry >>> 32);
  }

  /** The record number of an entry of {@link #sortedByHash()}. */
  static int recordOf(long entry) {
    return (int) entry;
  }

  /**
   * The entries ({@link #size()} of them; the array may be longer) sorted by unsigned hash, the
   * records of one hash in the order they were added (a stable least-significant-digit radix sort
   * on the hash alone). Valid until the next {@link #clear()}.
   */
  long[] sortedByHash() {
    if (sortSpace.length < size) {
      sortSpace = new long[entries.length];
    }
    long[] from = entries;
    long[] to = sortSpace;
    int mask = (1 << DIGIT_BITS) - 1;
    for (int shift : DIGIT_SHIFTS) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < size; i++) {
        counts[(int) (from[i] >>> shift) & mask]++;
      }
      if (size == 0 || counts[(int) (from[0] >>> shift) & mask] == size) {
        continue; // every entry has this digit: the pass would not move anything
      }
      int sum = 0;
      for (int d = 0; d < counts.length; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < size; i++) {
        long e = from[i];
        to[counts[(int) (e >>> shift) & mask]++] = e;
      }
      long[] swap = from;
      from = to;
      to = swap;
    }
    // Both arrays stay for the next segment, whichever now holds the sorted entries.
    entries = from;
    sortSpace = to;
    return from;
  }
}
