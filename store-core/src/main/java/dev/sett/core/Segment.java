package dev.sett.core;

import static dev.sett.core.SegmentFormat.RECORD_HEADER_SIZE;
import static dev.sett.core.SegmentFormat.R_CRC;
import static dev.sett.core.SegmentFormat.R_FLAGS;
import static dev.sett.core.SegmentFormat.R_KEY;
import static dev.sett.core.SegmentFormat.R_KEY_LENGTH;
import static dev.sett.core.SegmentFormat.R_PREVIOUS;
import static dev.sett.core.SegmentFormat.R_SEQUENCE;
import static dev.sett.core.SegmentFormat.R_TYPE;
import static dev.sett.core.SegmentFormat.R_VALUE_LENGTH;

import dev.sett.api.CorruptionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * One mapped segment file and the reference count that decides when it is unmapped.
 *
 * <p><b>Lifetime.</b> The count starts at 1, the reference of the store's segment table. Snapshots,
 * the sealer and forces {@link #tryPin()} before touching the mapping and {@link #unpin()}
 * afterwards; plain reads instead run inside a {@link ReadEpochs read epoch}, and the table's
 * reference is dropped only after every read that could have found the segment has left. {@link #retire(boolean)} drops the table's reference; whoever drops the count
 * to zero unmaps the region and, if asked, deletes the file. A pin can never be taken again once the
 * count reached zero, so no reader can touch an unmapped region.
 *
 * <p><b>Threading.</b> Reads from any thread while pinned. Appends only from the store's single
 * writer (under its lock). {@link #end()} is published with release semantics after each append
 * (after a staged batch's last write, see {@link StagedAppends}), so a reader that sees a position
 * below it sees the record's bytes.
 */
final class Segment {
  private final int id;
  private final Path path;
  private final MappedRegion region;
  private final int size;
  private final Disposer onDispose;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final SegmentLiveness liveness = new SegmentLiveness();
  private volatile int end;
  /**
   * How far the file is known to be on disk, in the low 32 bits, and in the high 32 bits how many
   * times the end was moved back ({@link #truncateTo}). One word, updated by compare-and-set, so the
   * writer and any number of concurrent forcers agree on it without a lock: a force can only raise
   * the durable end, and only if no truncation happened while it ran (the bytes it forced below the
   * new end may have been rewritten since). "Durable" is derived from it, never stored apart.
   */
  private final AtomicLong durability = new AtomicLong(SegmentFormat.HEADER_SIZE);
  private volatile boolean deleteOnDispose;
  /** The batch being gathered for positional writes, or null (writer only). */
  private StagedAppends staged;
  private final RecordEncoder encoder = new RecordEncoder();
  private final int formatVersion;

  /**
   * Called once, when the last reference goes; it must {@link #unmap()} the segment, at once or
   * (the store) once no read that might still be inside the mapping is left.
   */
  interface Disposer {
    void disposed(Segment segment);
  }

  Segment(int id, Path path, MappedRegion region, int end, Disposer onDispose) {
    this.id = id;
    this.path = path;
    this.region = region;
    this.size = region.size();
    this.end = end;
    this.onDispose = onDispose;
    this.formatVersion = region.readInt(SegmentFormat.H_VERSION);
  }

  int id() {
    return id;
  }

  Path path() {
    return path;
  }

  int size() {
    return size;
  }

  /** Offset just past the last whole record. */
  int end() {
    return end;
  }

  /** Dead and live record accounting; mutated under the store's write lock only. */
  SegmentLiveness liveness() {
    return liveness;
  }

  /**
   * Sets where the data ends: recovery, before the segment is published, and a read-only store's
   * {@link ReaderCatchUp}, before it indexes the records up to there.
   */
  void setEnd(int end) {
    this.end = end;
  }

  /** Bytes left for appends. */
  int remaining() {
    return size - end;
  }

  /** Whether every appended byte is known to be on disk: a force that began after the last append finished. */
  boolean durable() {
    return durableEnd() >= end;
  }

  /** Offset up to which the segment is known to be on disk. */
  int durableEnd() {
    return (int) durability.get();
  }

  // ---- reference counting -------------------------------------------------------------------

  /** Takes a pin; false if the segment was already released (retry with the current table). */
  boolean tryPin() {
    return RefCounts.incrementIfLive(refs);
  }

  void unpin() {
    if (refs.decrementAndGet() == 0) {
      dispose();
    }
  }

  /** Drops the segment table's reference; the segment is disposed when the last pin goes. */
  void retire(boolean deleteFile) {
    this.deleteOnDispose = deleteFile;
    unpin();
  }

  private void dispose() {
    onDispose.disposed(this);
  }

  /**
   * Before forcing a segment that takes no more appends: drops the page table entries its appends
   * left, so that the force does not write-protect its pages one TLB flush at a time (see
   * {@link PageTables}). Reads go on as before. The caller holds a pin.
   */
  void dropPageTableEntries() {
    region.dropPageTableEntries();
  }

  /** Unmaps the region; only the disposer calls this, once nothing can read the segment any more. */
  void unmap() {
    region.release();
  }

  boolean deleteOnDispose() {
    return deleteOnDispose;
  }

  // ---- record access (callers hold a pin; offsets come from the index or a scan) -------------

  /**
   * Offsets come from the index or a scan, lengths from the record: an access past the segment
   * means the record's bytes were damaged after they were checked (records a hint lists are not
   * read at open), so it is reported as the corruption it is, never as an undeclared exception.
   */
  private void check(long offset, int length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new CorruptionException(path, Math.max(0, offset), "a record of " + length + " bytes at offset " + offset
          + " runs past the end of the " + size + "-byte segment (a damaged length field)");
    }
  }

  byte type(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readByte(off + R_TYPE);
  }

  /**
   * The type (low byte) and flags (next byte) of the record at {@code off}, in one read: the read
   * path needs both, and they are adjacent.
   */
  int typeAndFlags(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readShort(off + R_TYPE) & 0xFFFF;
  }

  byte flags(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readByte(off + R_FLAGS);
  }

  int keyLength(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readShort(off + R_KEY_LENGTH) & 0xFFFF;
  }

  /**
   * The length of the record's value: its body (the header's length field) less the expiry an
   * expiring record carries after the value.
   */
  int valueLength(int off) {
    int body = bodyLength(off);
    return (flags(off) & SegmentFormat.FLAG_EXPIRES) != 0 ? body - SegmentFormat.EXPIRY_SIZE : body;
  }

  /** The header's length field: the value, and the expiry of an expiring record (format version 2). */
  int bodyLength(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readInt(off + R_VALUE_LENGTH);
  }

  /**
   * When the record expires, in milliseconds since the epoch, or {@link SegmentFormat#NEVER} if it
   * does not.
   */
  long expiresAt(int off) {
    if ((flags(off) & SegmentFormat.FLAG_EXPIRES) == 0) {
      return SegmentFormat.NEVER;
    }
    int kl = keyLength(off);
    int body = bodyLength(off);
    long at = (long) off + R_KEY + kl + body - SegmentFormat.EXPIRY_SIZE;
    check(at, SegmentFormat.EXPIRY_SIZE);
    return region.readLong(at);
  }

  /** The segment file's format version, from its header. */
  int formatVersion() {
    return formatVersion;
  }

  long sequence(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readLong(off + R_SEQUENCE);
  }

  long previous(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readLong(off + R_PREVIOUS);
  }

  int storedCrc(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readInt(off + R_CRC);
  }

  /** Offset of the value of the record at {@code off}, after checking it lies inside the segment. */
  int valueOffset(int off) {
    int kl = keyLength(off);
    int vl = valueLength(off);
    check((long) off + R_KEY + kl, vl);
    return off + R_KEY + kl;
  }

  int recordSize(int off) {
    return SegmentFormat.recordSize(keyLength(off), bodyLength(off));
  }

  boolean keyEquals(int off, byte[] key) {
    int kl = keyLength(off);
    if (kl != key.length) {
      return false;
    }
    long base = (long) off + R_KEY;
    check(base, kl);
    return regionEquals(base, key, 0, kl);
  }

  /** Whether the key of the record at {@code off} is {@code length} bytes of {@code key} from {@code from}. */
  boolean keyEquals(int off, byte[] key, int from, int length) {
    int kl = keyLength(off);
    if (kl != length) {
      return false;
    }
    long base = (long) off + R_KEY;
    check(base, kl);
    return regionEquals(base, key, from, kl);
  }

  /** Whether the {@code n} mapped bytes from {@code base} are those of {@code bytes} from {@code from}. */
  private boolean regionEquals(long base, byte[] bytes, int from, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      if (region.readLong(base + i) != Bytes.longLE(bytes, from + i)) {
        return false;
      }
    }
    for (; i < n; i++) {
      if (region.readByte(base + i) != bytes[from + i]) {
        return false;
      }
    }
    return true;
  }

  byte[] copyKey(int off) {
    int kl = keyLength(off);
    byte[] key = new byte[kl];
    readKey(off, key, 0, kl);
    return key;
  }

  /** Copies the key of the record at {@code off}, {@code keyLength} bytes as its header says, into {@code dst}. */
  void readKey(int off, byte[] dst, int at, int keyLength) {
    check((long) off + R_KEY, keyLength);
    region.read(off + R_KEY, dst, at, keyLength);
  }

  /** Whether the value of the record at {@code off} is exactly {@code value}. */
  boolean valueEquals(int off, byte[] value) {
    return valueLength(off) == value.length && regionEquals(valueOffset(off), value, 0, value.length);
  }

  byte[] copyValue(int off) {
    int vo = valueOffset(off);
    int vl = valueLength(off);
    byte[] value = new byte[vl];
    region.read(vo, value, 0, vl);
    return value;
  }

  /** Raw little-endian reads for views; the caller checks bounds against the record. */
  MappedRegion region() {
    return region;
  }

  /**
   * Whether the stored CRC32C of the record at {@code off} matches its bytes. Impossible lengths
   * (damage in a record no scan has checked, such as one a hint lists) count as a mismatch.
   */
  boolean crcMatches(int off) {
    int kl = keyLength(off);
    int vl = bodyLength(off);
    if (kl <= 0 || vl < 0) {
      return false;
    }
    long length = (long) RECORD_HEADER_SIZE - 4 + kl + vl;
    check(off, (int) Math.min(Integer.MAX_VALUE, length + 4));
    CRC32C crc = new CRC32C();
    region.updateCrc(crc, off + 4L, (int) length);
    return (int) crc.getValue() == storedCrc(off);
  }

  // ---- appending (single writer) --------------------------------------------------------------

  /**
   * Appends one record and returns its offset. The caller has checked that it fits
   * ({@link #remaining()}).
   */
  int append(byte type, byte flags, byte[] key, byte[] value, long sequence, long previous) {
    return append(type, flags, key, value, sequence, previous, SegmentFormat.NEVER);
  }

  /**
   * As {@link #append(byte, byte, byte[], byte[], long, long)}, for a put that expires at
   * {@code expiresAt} (milliseconds since the epoch; {@link SegmentFormat#NEVER} for none): the
   * expiry follows the value, inside the checksum, and the record is flagged EXPIRES.
   */
  int append(byte type, byte flags, byte[] key, byte[] value, long sequence, long previous, long expiresAt) {
    StagedAppends st = staged;
    int off = st == null ? end : st.end();
    int vl = value == null ? 0 : value.length;
    boolean expires = expiresAt != SegmentFormat.NEVER;
    if (expires) {
      if (formatVersion < 2 || type != SegmentFormat.TYPE_PUT) {
        throw new IllegalStateException("an expiring " + type + " record in a version " + formatVersion + " segment");
      }
      flags |= SegmentFormat.FLAG_EXPIRES;
    }
    int body = expires ? vl + SegmentFormat.EXPIRY_SIZE : vl;
    int recordSize = SegmentFormat.recordSize(key.length, body);
    check(off, recordSize);
    RecordEncoder enc = encoder;
    enc.encode(type, flags, key, value, vl, body, Math.min(durableEnd(), off), sequence, previous, expiresAt);
    if (st != null) {
      st.put(enc.header, 0, RECORD_HEADER_SIZE);
      st.put(key, 0, key.length);
      if (vl > 0) {
        st.put(value, 0, vl);
      }
      if (expires) {
        st.put(enc.expiry, 0, SegmentFormat.EXPIRY_SIZE);
      }
      st.padTo(off + recordSize);
      return off; // the end moves when the batch is written (finishStaged)
    }
    region.write(off, enc.header, 0, RECORD_HEADER_SIZE);
    region.write(off + R_KEY, key, 0, key.length);
    if (vl > 0) {
      region.write(off + R_KEY + key.length, value, 0, vl);
    }
    if (expires) {
      region.write(off + R_KEY + key.length + vl, enc.expiry, 0, SegmentFormat.EXPIRY_SIZE);
    }
    end = off + recordSize;
    return off;
  }

  /**
   * Until {@link #finishStaged} or {@link #truncateTo}, appends gather their records for positional
   * writes to the file instead of writing through the mapping ({@link StagedAppends}); the end does
   * not move meanwhile.
   */
  void beginStaged(Storage storage) {
    if (staged != null) {
      throw new IllegalStateException("a staged batch is already open on " + path);
    }
    staged = new StagedAppends(storage, path, end);
  }

  /** Writes the staged records to the file, then publishes the new end. */
  void finishStaged() throws IOException {
    staged.finish();
    end = takeStaged().end();
  }

  /**
   * Forgets a staged batch that was neither finished nor cut, without touching the file (after a
   * failed write, which fails the store); nothing where there is none.
   */
  void dropStaged() {
    takeStaged();
  }

  /** Ends the staged batch, if any, giving its buffer back; returns it, or null. */
  private StagedAppends takeStaged() {
    StagedAppends st = staged;
    staged = null;
    if (st != null) {
      st.release();
    }
    return st;
  }

  /**
   * Moves the end back to {@code offset}, discarding records appended after it. Used when a batch
   * could not be completed: the bytes are zeroed so that recovery never sees them.
   */
  void truncateTo(int offset) {
    // First forget what forces proved beyond the cut (and invalidate forces still running): the
    // bytes there are about to change.
    for (;;) {
      long d = durability.get();
      long truncations = (d >>> 32) + 1;
      int durableEnd = Math.min((int) d, offset);
      if (durability.compareAndSet(d, truncations << 32 | durableEnd)) {
        break;
      }
    }
    // A staged batch may have written part of itself to the file, past the end.
    StagedAppends st = takeStaged();
    int to = st == null ? end : Math.max(end, st.writtenEnd());
    for (int o = offset; o < to; o += 8) {
      region.writeLong(o, 0L);
    }
    end = offset;
  }

  /**
   * Forces the file and records how far that proves the data is on disk: the end as it was before
   * the force began. Safe against concurrent appends, truncations and other forces.
   */
  void force(Storage storage) throws IOException {
    long before = durability.get();
    int reached = end;
    storage.force(path);
    for (;;) {
      long d = durability.get();
      if (d >>> 32 != before >>> 32 || (int) d >= reached) {
        return; // a truncation happened meanwhile, or another force already proved more
      }
      if (durability.compareAndSet(d, (d & 0xFFFF_FFFF_0000_0000L) | reached)) {
        return;
      }
    }
  }

  /** Reads the first word of the record at {@code off}, if it lies inside the segment: a prefetch. */
  long touch(int off) {
    return off >= 0 && off <= size - 8 ? region.readLong(off) : 0;
  }

  int durableEnd(int off) {
    check(off, RECORD_HEADER_SIZE);
    return region.readInt(off + SegmentFormat.R_DURABLE_END);
  }

  /** Recovery only: everything before {@code end} is on disk. */
  void setDurableEnd(int end) {
    durability.set(end);
  }

  @Override
  public String toString() {
    return "Segment[" + id + ", end " + end + "/" + size + ", refs " + refs.get() + "]";
  }
}
