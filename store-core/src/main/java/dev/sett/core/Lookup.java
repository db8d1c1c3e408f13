package dev.sett.core;

import dev.sett.api.CorruptionException;
import dev.sett.api.StoreException;

/**
 * Finds the record of a key that is visible at a sequence number: probes the hash index without
 * locks, confirms the key against the mapped record, then follows previous-version pointers back
 * past writes newer than the reader's sequence. Deleted keys, and keys whose visible record expired
 * by the reader's time, are reported absent.
 *
 * <p>Whenever a record would make a key look absent or older than it is (its key differs although
 * its hash matched, its sequence is newer than the reader's, it is a tombstone, or it expired), its checksum is
 * verified first, whatever {@code verifyChecksums} says: a damaged byte there would otherwise turn
 * into a silently missing key or a silently older value. These paths are rare (a hash collision, a
 * snapshot older than the key's last write, a deleted key), so the common read pays nothing.
 *
 * <p>Thread-safe (stateless); results go into the caller's {@link ReadContext}.
 */
final class Lookup {
  /** A lookup restarts when compaction moved the record it was reading; this bounds the retries. */
  private static final int MAX_RESTARTS = 10_000;

  private Lookup() {
  }

  /**
   * On success returns true with {@code out.segment} acquired from {@code pins} (the caller releases
   * it) and {@code out.offset} at a put record of {@code key}.
   */
  static boolean find(HashIndex index, byte[] key, int h, SegmentPins pins, ReadContext out) {
    for (int attempt = 0; attempt < MAX_RESTARTS; attempt++) {
      long visible = pins.readSequence();
      HashIndex.Table t = index.table();
      Segment s = null;
      int off = 0;
      boolean restart = false;
      for (int i = t.home(h);; i = t.next(i)) {
        long p = t.position(i);
        if (p == HashIndex.EMPTY) {
          if (t == HashIndex.RELEASED) {
            pins.checkOpen();
          }
          return false;
        }
        if (p == HashIndex.DELETED || t.hash(i) != h) {
          continue;
        }
        Segment candidate = pins.acquire(Position.segment(p));
        if (candidate == null) {
          restart = true;
          break;
        }
        if (candidate.keyEquals(Position.offset(p), key)) {
          s = candidate;
          off = Position.offset(p);
          break;
        }
        checkIntact(candidate, Position.offset(p), pins);
        pins.release(candidate);
      }
      if (restart) {
        continue;
      }
      while (s.sequence(off) > visible) {
        checkIntact(s, off, pins);
        long prev = s.previous(off);
        pins.release(s);
        if (prev == Position.NONE) {
          return false;
        }
        s = pins.acquire(Position.segment(prev));
        if (s == null) {
          restart = true;
          break;
        }
        off = Position.offset(prev);
      }
      if (restart) {
        continue;
      }
      int typeAndFlags = s.typeAndFlags(off);
      if ((byte) typeAndFlags != SegmentFormat.TYPE_PUT) {
        checkIntact(s, off, pins);
        pins.release(s);
        return false;
      }
      if ((typeAndFlags & (SegmentFormat.FLAG_EXPIRES << 8)) != 0 && s.expiresAt(off) <= pins.readTime()) {
        checkIntact(s, off, pins);
        pins.release(s);
        return false;
      }
      out.segment = s;
      out.offset = off;
      return true;
    }
    throw new StoreException("a read could not find a stable version of its key after " + MAX_RESTARTS
        + " attempts; this is a bug in Sett, please report it");
  }

  /**
   * Loads the first hash slot of {@code h} and returns its position: a cursor calls this for the
   * next several keys before it resolves the first, then {@link #touchRecord} for the positions,
   * so that the cache misses of a group overlap instead of being taken one after another (plain
   * loads are the only prefetch Java has; the caller sums what they return so the JIT keeps them).
   * The slot loads come in a pass of their own: interleaved with the dependent record loads, too
   * few of them fitted in the processor's window to overlap.
   */
  static long touchSlot(HashIndex.Table t, int h) {
    return t.position(t.home(h));
  }

  /**
   * Loads the header of the record at {@code p}, a position {@link #touchSlot} returned. Only for
   * pins whose acquire and release cost nothing (a snapshot's); the caller is inside a read epoch.
   */
  static long touchRecord(long p, SegmentPins pins) {
    if (p == HashIndex.EMPTY || p == HashIndex.DELETED) {
      return p;
    }
    Segment s = pins.acquire(Position.segment(p));
    if (s == null) {
      return p;
    }
    return s.touch(Position.offset(p));
  }

  /** Throws (releasing the caller's pin) if the record at {@code off} fails its checksum. */
  private static void checkIntact(Segment s, int off, SegmentPins pins) {
    if (!s.crcMatches(off)) {
      pins.release(s);
      throw new CorruptionException(s.path(), off, "record checksum mismatch (found while looking up a key;"
          + " the record's key, type or sequence cannot be trusted)");
    }
  }
}
