package dev.sett.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A hint file {@code NNNNNNNNNN.hint}: the index entries of one sealed segment, so that opening a
 * store reads keys and positions without reading any value. Written to a temporary name, forced and
 * renamed; a hint that fails any check is ignored and the segment is scanned instead.
 *
 * <h2>Format version {@value #VERSION} (little-endian)</h2>
 * Versions 2 and 3 list the entries in key order (unsigned, then by record offset), so that an open
 * builds the segment's run of ordered keys without sorting ({@link OrderedKeys}); version 1, the
 * same layout in record order, is still read. Version 3 adds the expiry of expiring records (segment
 * format 2), so that an open knows, without reading the segment, how many bytes will expire when;
 * versions 1 and 2 have no expiring entries and are still read.
 * <table>
 *   <caption>hint file</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic {@code "SETTHINT"}</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version</td></tr>
 *   <tr><td>12</td><td>4</td><td>segment id</td></tr>
 *   <tr><td>16</td><td>8</td><td>segment creation time (from its header): ties the hint to that file</td></tr>
 *   <tr><td>24</td><td>4</td><td>segment data end (offset after the last record)</td></tr>
 *   <tr><td>28</td><td>4</td><td>entry count n</td></tr>
 *   <tr><td>32</td><td>...</td><td>n entries: record offset u32, body length u32 (the record's
 *       length field: the value, and 8 more for an expiring record), sequence u64, key length u16,
 *       type u8, flags u8 (the record's), key bytes, then, only if the flags have EXPIRES
 *       (version 3), the expiry u64 in milliseconds since the epoch</td></tr>
 *   <tr><td>end-4</td><td>4</td><td>CRC32C of every byte before it</td></tr>
 * </table>
 */
final class HintFile {
  static final int VERSION = 3;
  /** Entries in record order; read, no longer written. */
  static final int VERSION_1 = 1;
  /** Key order, no expiries; read, no longer written. */
  static final int VERSION_2 = 2;
  static final long MAGIC = 0x544E4948_54544553L; // "SETTHINT" little-endian
  static final int HEADER = 32;
  static final int ENTRY_FIXED = 20;

  /**
   * One index entry of a sealed segment: {@code bodyLength} is the record's length field,
   * {@code expiresAt} its expiry or {@link SegmentFormat#NEVER}.
   */
  record Entry(int offset, int bodyLength, long sequence, byte type, byte flags, byte[] key, long expiresAt) {
    /** An entry of a record that does not expire. */
    Entry(int offset, int bodyLength, long sequence, byte type, byte flags, byte[] key) {
      this(offset, bodyLength, sequence, type, flags, key, SegmentFormat.NEVER);
    }
  }

  /**
   * A decoded hint: where the segment's data ends, and its entries in the version's order. The
   * entries stay in the file's bytes (checked when decoded) until asked for: an open streams them
   * with {@link #forEach}, allocating nothing per entry.
   */
  static final class Contents {
    private final int version;
    private final int dataEnd;
    private final byte[] bytes;
    private final int count;
    private List<Entry> entries;

    Contents(int version, int dataEnd, byte[] bytes, int count) {
      this.version = version;
      this.dataEnd = dataEnd;
      this.bytes = bytes;
      this.count = count;
    }

    int version() {
      return version;
    }

    int dataEnd() {
      return dataEnd;
    }

    int count() {
      return count;
    }

    /** Whether the entries are in key order (versions 2 and 3). */
    boolean keyOrdered() {
      return version != VERSION_1;
    }

    /** Calls {@code visitor} with each entry, its key as a slice of a shared buffer. */
    void forEach(EntryVisitor visitor) {
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int pos = HEADER;
      for (int i = 0; i < count; i++) {
        int kl = b.getShort(pos + 16) & 0xFFFF;
        byte flags = b.get(pos + 19);
        int key = pos + ENTRY_FIXED;
        boolean expires = hasExpiry(version, flags);
        visitor.visit(b.getInt(pos), b.getInt(pos + 4), b.getLong(pos + 8), b.get(pos + 18), flags,
            bytes, key, kl, expires ? b.getLong(key + kl) : SegmentFormat.NEVER);
        pos = key + kl + (expires ? SegmentFormat.EXPIRY_SIZE : 0);
      }
    }

    /** The entries as objects, in the version's order. */
    List<Entry> entries() {
      List<Entry> e = entries;
      if (e == null) {
        List<Entry> out = new ArrayList<>(count);
        forEach((offset, bodyLength, sequence, type, flags, buf, keyOffset, keyLength, expiresAt) -> out.add(
            new Entry(offset, bodyLength, sequence, type, flags, Arrays.copyOfRange(buf, keyOffset, keyOffset + keyLength),
                expiresAt)));
        e = java.util.Collections.unmodifiableList(out);
        entries = e;
      }
      return e;
    }

    /** The entries in record order, as the segment holds them (for comparing with a scan). */
    List<Entry> inRecordOrder() {
      if (version == VERSION_1) {
        return entries();
      }
      List<Entry> byOffset = new ArrayList<>(entries());
      byOffset.sort(java.util.Comparator.comparingInt(Entry::offset));
      return byOffset;
    }
  }

  /** Receives one hint entry; the key is {@code keyLength} bytes of {@code buf} from {@code keyOffset}. */
  interface EntryVisitor {
    void visit(int offset, int bodyLength, long sequence, byte type, byte flags, byte[] buf, int keyOffset,
        int keyLength, long expiresAt);
  }

  /** Whether an entry of a {@code version} hint with these record flags carries an expiry. */
  private static boolean hasExpiry(int version, byte flags) {
    return version >= VERSION && (flags & SegmentFormat.FLAG_EXPIRES) != 0;
  }

  /** Key order, then record order: version 2's entry order. */
  static final java.util.Comparator<Entry> KEY_ORDER = (a, b) -> {
    int c = Arrays.compareUnsigned(a.key(), b.key());
    return c != 0 ? c : Integer.compare(a.offset(), b.offset());
  };

  private HintFile() {
  }

  /** {@code entries} in {@link #KEY_ORDER}. */
  static List<Entry> keyOrdered(List<Entry> entries) {
    HintEntries packed = HintEntries.of(entries);
    List<Entry> sorted = new ArrayList<>(entries.size());
    for (int i : keyOrder(packed)) {
      sorted.add(entries.get(i));
    }
    return sorted;
  }

  /** The indexes of {@code e}'s entries in {@link #KEY_ORDER}. */
  private static int[] keyOrder(HintEntries e) {
    return KeySort.order(e.keyBytes(), e.keyStarts(), e.size(), (a, b) -> Integer.compare(e.offset(a), e.offset(b)));
  }

  /** A current-version hint of {@code entries}, given in any order. */
  static byte[] encode(int segmentId, long segmentCreated, int dataEnd, List<Entry> entries) {
    return encode(VERSION, segmentId, segmentCreated, dataEnd, entries);
  }

  /** A hint of {@code entries} in the given version, whole in one array (tests, small hints). */
  static byte[] encode(int version, int segmentId, long segmentCreated, int dataEnd, List<Entry> entries) {
    Encoder encoder = new Encoder(version, segmentId, segmentCreated, dataEnd, entries);
    ByteBuffer whole = ByteBuffer.allocate((int) encoder.size);
    try {
      encoder.writeTo(whole::put);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a heap buffer does not fail
    }
    return whole.array();
  }

  /**
   * A current-version hint of {@code entries}, given in any order, made a piece at a time for
   * {@link Storage#writeAtomically(java.nio.file.Path, Storage.Pieces)}: the entries are checked and
   * sorted now, the bytes made only as the file is written, in pieces of {@value #PIECE} bytes, so
   * that sealing a segment of a million small records does not also hold its tens of megabytes of
   * hint on the heap (they were the largest of the sealer's transient arrays).
   */
  static Storage.Pieces pieces(int segmentId, long segmentCreated, int dataEnd, List<Entry> entries) {
    return new Encoder(VERSION, segmentId, segmentCreated, dataEnd, entries);
  }

  /** Bytes of a hint made at a time: more than the largest entry (a 64 KiB key and its fields). */
  static final int PIECE = 256 << 10;

  /** One hint's bytes, made again from the start each time they are asked for. */
  private static final class Encoder implements Storage.Pieces {
    private final int version;
    private final int segmentId;
    private final long segmentCreated;
    private final int dataEnd;
    private final HintEntries e;
    private final int[] order;
    final long size;

    Encoder(int version, int segmentId, long segmentCreated, int dataEnd, List<Entry> entries) {
      this.version = version;
      this.segmentId = segmentId;
      this.segmentCreated = segmentCreated;
      this.dataEnd = dataEnd;
      this.e = HintEntries.of(entries);
      int n = e.size();
      if (version == VERSION || version == VERSION_2) {
        order = keyOrder(e);
      } else if (version == VERSION_1) {
        order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
      } else {
        throw new IllegalArgumentException("hint version " + version);
      }
      long bytes = HEADER + 4L;
      for (int i = 0; i < n; i++) {
        long expiresAt = e.expiresAt(i);
        if (((e.flags(i) & SegmentFormat.FLAG_EXPIRES) != 0) != (expiresAt != SegmentFormat.NEVER)) {
          throw new IllegalArgumentException("entry at " + e.offset(i) + ": EXPIRES flag and expiry disagree");
        }
        if (expiresAt != SegmentFormat.NEVER && version != VERSION) {
          throw new IllegalArgumentException("a version " + version + " hint cannot list an expiring record");
        }
        bytes += ENTRY_FIXED + e.keyLength(i) + (expiresAt != SegmentFormat.NEVER ? SegmentFormat.EXPIRY_SIZE : 0);
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalStateException("hint file too large: " + bytes);
      }
      this.size = bytes;
    }

    @Override
    public void writeTo(Storage.Sink sink) throws java.io.IOException {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(PIECE, size)).order(ByteOrder.LITTLE_ENDIAN);
      CRC32C crc = new CRC32C();
      b.putLong(MAGIC).putInt(version).putInt(segmentId).putLong(segmentCreated).putInt(dataEnd).putInt(e.size());
      byte[] keys = e.keyBytes();
      for (int i : order) {
        int kl = e.keyLength(i);
        long expiresAt = e.expiresAt(i);
        int entry = ENTRY_FIXED + kl + (expiresAt != SegmentFormat.NEVER ? SegmentFormat.EXPIRY_SIZE : 0);
        if (b.remaining() < entry) {
          hand(b, crc, sink);
        }
        b.putInt(e.offset(i)).putInt(e.bodyLength(i)).putLong(e.sequence(i))
            .putShort((short) kl).put(e.type(i)).put(e.flags(i)).put(keys, e.keyStart(i), kl);
        if (expiresAt != SegmentFormat.NEVER) {
          b.putLong(expiresAt);
        }
      }
      if (b.remaining() < 4) {
        hand(b, crc, sink);
      }
      crc.update(b.array(), 0, b.position());
      b.putInt((int) crc.getValue());
      b.flip();
      sink.write(b);
    }

    /** Adds the piece's bytes to the checksum, hands them over and empties the piece. */
    private static void hand(ByteBuffer b, CRC32C crc, Storage.Sink sink) throws java.io.IOException {
      crc.update(b.array(), 0, b.position());
      b.flip();
      sink.write(b);
      b.clear();
    }
  }

  /**
   * The entry count a hint's header states, or 0 if {@code header} (its first {@value #HEADER}
   * bytes) is not a hint's: an estimate only, nothing is checked.
   */
  static long countOf(ByteBuffer header) {
    if (header.remaining() < HEADER) {
      return 0;
    }
    ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int at = b.position();
    return b.getLong(at) == MAGIC ? Math.max(0, b.getInt(at + 28)) : 0;
  }

  /** The most entries a hint file of {@code fileSize} bytes can hold. */
  static long maxEntries(long fileSize) {
    return Math.max(0, (fileSize - HEADER - 4) / (ENTRY_FIXED + 1));
  }

  /**
   * The largest a hint of a segment of {@code segmentSize} bytes can be: each entry (20 bytes and
   * the key) is smaller than the record it lists (32 bytes, the key and the value).
   */
  static long maxSize(int segmentSize) {
    return HEADER + 4L + segmentSize;
  }

  /** The data end a hint's header states (its first {@value #HEADER} bytes); an estimate only. */
  static long dataEndOf(ByteBuffer header) {
    if (header.remaining() < HEADER) {
      return 0;
    }
    ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return Math.max(0, b.getInt(b.position() + 24));
  }

  /**
   * The entries of a hint, or null with {@code why[0]} set if the hint is damaged, from another
   * segment, or inconsistent with {@code segmentSize}.
   */
  static Contents decode(byte[] bytes, int segmentId, long segmentCreated, int segmentSize, String[] why) {
    return decode(bytes, bytes.length, segmentId, segmentCreated, segmentSize, why);
  }

  /** As {@link #decode(byte[], int, long, int, String[])}, for a hint held in the first {@code length} bytes. */
  static Contents decode(byte[] bytes, int length, int segmentId, long segmentCreated, int segmentSize, String[] why) {
    if (length < HEADER + 4) {
      why[0] = "too short";
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length - 4);
    if ((int) crc.getValue() != b.getInt(length - 4)) {
      why[0] = "checksum mismatch";
      return null;
    }
    if (b.getLong() != MAGIC) {
      why[0] = "bad magic";
      return null;
    }
    int version = b.getInt();
    if (version != VERSION && version != VERSION_2 && version != VERSION_1) {
      why[0] = "unsupported version " + version;
      return null;
    }
    int id = b.getInt();
    long created = b.getLong();
    if (id != segmentId || created != segmentCreated) {
      why[0] = "written for another segment (id " + id + ")";
      return null;
    }
    int dataEnd = b.getInt();
    int count = b.getInt();
    if (dataEnd < SegmentFormat.HEADER_SIZE || dataEnd > segmentSize || count < 0) {
      why[0] = "impossible data end or count";
      return null;
    }
    int limit = length - 4;
    int previousKey = -1;
    int previousKeyLength = 0;
    int previousOffset = 0;
    for (int i = 0; i < count; i++) {
      if (b.position() + ENTRY_FIXED > limit) {
        why[0] = "entry " + i + " cut off";
        return null;
      }
      int offset = b.getInt();
      int bodyLength = b.getInt();
      b.getLong(); // sequence
      int kl = b.getShort() & 0xFFFF;
      byte type = b.get();
      byte flags = b.get();
      int extra = hasExpiry(version, flags) ? SegmentFormat.EXPIRY_SIZE : 0;
      if (kl == 0 || b.position() + kl + extra > limit || offset < SegmentFormat.HEADER_SIZE || bodyLength < extra
          || (long) offset + SegmentFormat.RECORD_HEADER_SIZE + kl + bodyLength > dataEnd
          || (type != SegmentFormat.TYPE_PUT && type != SegmentFormat.TYPE_DELETE)
          || (extra > 0 && type != SegmentFormat.TYPE_PUT)
          || (version < VERSION && (flags & SegmentFormat.FLAG_EXPIRES) != 0)) {
        why[0] = "entry " + i + " is inconsistent";
        return null;
      }
      int key = b.position();
      if (version != VERSION_1 && previousKey >= 0) {
        int c = Arrays.compareUnsigned(bytes, previousKey, previousKey + previousKeyLength, bytes, key, key + kl);
        if (c > 0 || c == 0 && previousOffset >= offset) {
          why[0] = "entry " + i + " is out of key order";
          return null;
        }
      }
      previousKey = key;
      previousKeyLength = kl;
      previousOffset = offset;
      b.position(key + kl + extra);
    }
    if (b.position() != limit) {
      why[0] = "trailing bytes";
      return null;
    }
    return new Contents(version, dataEnd, bytes, count);
  }
}
