package dev.sett.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * A segment's hint entries packed into a few primitive arrays, keys end to end in one: what a scan
 * of a segment produces and what a hint file is encoded from.
 *
 * <p>Why not a list of {@link HintFile.Entry}: the sealer scans every segment the writer fills,
 * half a million records for a 64 MiB segment, and an object and a key array per record lived
 * until the hint was written, long enough for young collections to copy them into the old
 * generation. In a Kafka Streams workload they were half of all the bytes promoted, old-generation
 * garbage that made the heap the JVM touched (its resident memory) grow to several times the data.
 * Large primitive arrays die young or, past half a region, are reclaimed eagerly by G1.
 *
 * <p>As a {@code List} it hands out each entry as a fresh {@link HintFile.Entry}, for the rare
 * paths (repair, torn tails, checks) that want objects; hot paths read the fields by index.
 *
 * <p>Not thread-safe: filled by one thread, then read.
 */
final class HintEntries extends AbstractList<HintFile.Entry> {
  private int size;
  private int[] offsets;
  private int[] bodyLengths;
  private long[] sequences;
  private byte[] types;
  private byte[] flags;
  /** Null until an entry expires: most stores hold no expiring records. */
  private long[] expiries;
  private byte[] keyBytes;
  /** Key {@code i} is {@code keyBytes[keyStarts[i], keyStarts[i + 1])}. */
  private int[] keyStarts;

  HintEntries(int expected) {
    int c = Math.max(16, expected);
    offsets = new int[c];
    bodyLengths = new int[c];
    sequences = new long[c];
    types = new byte[c];
    flags = new byte[c];
    keyStarts = new int[c + 1];
    keyBytes = new byte[c * 16];
  }

  /** The entries of {@code list}, packed (the list itself if it is packed already). */
  static HintEntries of(List<HintFile.Entry> list) {
    if (list instanceof HintEntries packed) {
      return packed;
    }
    HintEntries out = new HintEntries(list.size());
    for (HintFile.Entry e : list) {
      byte[] k = e.key();
      out.add(e.offset(), e.bodyLength(), e.sequence(), e.type(), e.flags(), k, 0, k.length, e.expiresAt());
    }
    return out;
  }

  /** Adds the record at {@code off} of {@code segment}, reading its fields and key from the mapping. */
  void add(Segment segment, int off) {
    int kl = segment.keyLength(off);
    int at = reserve(kl);
    segment.readKey(off, keyBytes, at, kl);
    set(segment.flags(off), off, segment.bodyLength(off), segment.sequence(off), segment.type(off),
        segment.expiresAt(off), at + kl);
  }

  /** Adds an entry whose key is {@code keyLength} bytes of {@code key} from {@code keyOffset}. */
  void add(int offset, int bodyLength, long sequence, byte type, byte flags, byte[] key, int keyOffset, int keyLength,
      long expiresAt) {
    int at = reserve(keyLength);
    System.arraycopy(key, keyOffset, keyBytes, at, keyLength);
    set(flags, offset, bodyLength, sequence, type, expiresAt, at + keyLength);
  }

  /**
   * Makes room for {@code entries} entries in all and {@code keyBytesTotal} bytes of keys, so that
   * a caller who can estimate the final count grows the arrays once rather than by doubling (each
   * doubling is garbage as large as the arrays so far).
   */
  void ensureCapacity(int entries, long keyBytesTotal) {
    if (entries > offsets.length) {
      resize(entries);
    }
    if (keyBytesTotal > keyBytes.length) {
      keyBytes = Arrays.copyOf(keyBytes, (int) Math.min(keyBytesTotal, Integer.MAX_VALUE - 8));
    }
  }

  /** How many entries fit before the arrays grow again. */
  int capacity() {
    return offsets.length;
  }

  /** Bytes of keys held so far. */
  int keyBytesUsed() {
    return keyStarts[size];
  }

  /** Makes room for one more entry and a key of {@code keyLength} bytes; returns where the key goes. */
  private int reserve(int keyLength) {
    if (size == offsets.length) {
      resize(offsets.length * 2);
    }
    int at = keyStarts[size];
    if (at + keyLength > keyBytes.length) {
      keyBytes = Arrays.copyOf(keyBytes, Math.max(keyBytes.length * 2, at + keyLength));
    }
    return at;
  }

  private void resize(int c) {
    offsets = Arrays.copyOf(offsets, c);
    bodyLengths = Arrays.copyOf(bodyLengths, c);
    sequences = Arrays.copyOf(sequences, c);
    types = Arrays.copyOf(types, c);
    flags = Arrays.copyOf(flags, c);
    keyStarts = Arrays.copyOf(keyStarts, c + 1);
    if (expiries != null) {
      expiries = Arrays.copyOf(expiries, c);
    }
  }

  private void set(byte recordFlags, int offset, int bodyLength, long sequence, byte type, long expiresAt,
      int keyEnd) {
    int i = size;
    offsets[i] = offset;
    bodyLengths[i] = bodyLength;
    sequences[i] = sequence;
    types[i] = type;
    flags[i] = recordFlags;
    if (expiresAt != SegmentFormat.NEVER) {
      if (expiries == null) {
        expiries = new long[offsets.length];
        Arrays.fill(expiries, SegmentFormat.NEVER);
      }
      expiries[i] = expiresAt;
    } else if (expiries != null) {
      expiries[i] = SegmentFormat.NEVER;
    }
    keyStarts[i + 1] = keyEnd;
    size = i + 1;
  }

  /** Drops the entries from {@code newSize} on (an unfinished batch at the end of a scan). */
  void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size);
    }
    size = newSize;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public HintFile.Entry get(int i) {
    checkIndex(i);
    return new HintFile.Entry(offsets[i], bodyLengths[i], sequences[i], types[i], flags[i], key(i), expiresAt(i));
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("entry " + i + " of " + size);
    }
  }

  int offset(int i) {
    return offsets[i];
  }

  int bodyLength(int i) {
    return bodyLengths[i];
  }

  long sequence(int i) {
    return sequences[i];
  }

  byte type(int i) {
    return types[i];
  }

  byte flags(int i) {
    return flags[i];
  }

  long expiresAt(int i) {
    return expiries == null ? SegmentFormat.NEVER : expiries[i];
  }

  /** A copy of entry {@code i}'s key. */
  byte[] key(int i) {
    return Arrays.copyOfRange(keyBytes, keyStarts[i], keyStarts[i + 1]);
  }

  /** The array every key is in; valid until the next {@code add}. */
  byte[] keyBytes() {
    return keyBytes;
  }

  /** Where key {@code i} starts in {@link #keyBytes}; key {@code i} ends where key {@code i + 1} starts. */
  int[] keyStarts() {
    return keyStarts;
  }

  int keyStart(int i) {
    return keyStarts[i];
  }

  int keyLength(int i) {
    return keyStarts[i + 1] - keyStarts[i];
  }

  /** Calls {@code visitor} with each entry in order, its key as a slice of {@link #keyBytes}. */
  void forEach(HintFile.EntryVisitor visitor) {
    for (int i = 0; i < size; i++) {
      visitor.visit(offsets[i], bodyLengths[i], sequences[i], types[i], flags[i], keyBytes, keyStarts[i],
          keyLength(i), expiresAt(i));
    }
  }
}
