package dev.sett.core;

import dev.sett.api.ByteView;
import dev.sett.api.ConflictException;
import dev.sett.api.KeyRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a transaction read, and the check its commit makes: every key it read still has the version
 * it saw, and every part of a range it scanned holds the same keys at the same versions.
 *
 * <p>The check compares with the live index, not with a log of other commits: a record's sequence
 * number says when it was written, so "written after my snapshot" is "its newest record has a larger
 * sequence number than my snapshot". Nothing is kept for plain writes or for committed transactions,
 * so conflict tracking costs plain puts and reads nothing and its memory ends with the transaction.
 * Compaction copies records with their sequence numbers, so it never causes a conflict.
 *
 * <p>Owned by one transaction; {@link #validate} runs under the write lock.
 */
final class TransactionReads {
  /** Keys read by point, and whether each was present when read. */
  private final TreeMap<byte[], Boolean> points = new TreeMap<>(Arrays::compareUnsigned);
  private final List<Scan> scans = new ArrayList<>();

  /** One scan's progress: which part of its range it walked and how many snapshot keys it met there. */
  static final class Scan {
    private final KeyRange range;
    private boolean started;
    private boolean exhausted;
    private ByteView last;
    private long snapshotKeys;

    private Scan(KeyRange range) {
      this.range = range;
    }

    /**
     * The cursor returned {@code key} (a view valid until the transaction closes, which is after its
     * commit); {@code snapshotKeys} keys of the snapshot lie up to it.
     */
    void walkedTo(ByteView key, long snapshotKeys) {
      this.started = true;
      this.last = key;
      this.snapshotKeys = snapshotKeys;
    }

    /** The cursor ran to the end of its range, having met {@code snapshotKeys} keys of the snapshot. */
    void exhausted(long snapshotKeys) {
      this.started = true;
      this.exhausted = true;
      this.snapshotKeys = snapshotKeys;
    }

    /** The part walked, in ascending order whatever the scan's direction; null if nothing yet. */
    KeyRange walked() {
      if (!started) {
        return null;
      }
      byte[] from = range.lowerBound();
      byte[] to = range.upperBound();
      if (!exhausted) {
        byte[] key = last.toByteArray();
        if (range.isReverse()) {
          from = key;
        } else {
          to = Arrays.copyOf(key, key.length + 1); // the smallest key after it: the bound is exclusive
        }
      }
      return KeyRange.between(from, to);
    }
  }

  void point(byte[] key, boolean present) {
    points.putIfAbsent(key.clone(), present);
  }

  Scan scan(KeyRange range) {
    Scan s = new Scan(range);
    scans.add(s);
    return s;
  }

  boolean isEmpty() {
    return points.isEmpty() && scans.isEmpty();
  }

  /**
   * Throws {@link ConflictException} if a write newer than {@code sequence} touched what was read.
   * The caller holds the write lock, so the index and the segment table stand still.
   */
  void validate(KeyIndex index, SegmentTable table, OrderedKeys ordered, long sequence) {
    for (Map.Entry<byte[], Boolean> e : points.entrySet()) {
      byte[] key = e.getKey();
      long position = index.find(key, KeyHash.hash(key));
      if (position == Position.NONE) {
        if (e.getValue()) {
          throw conflict("key " + Bytes.hex(key, 32) + " was deleted", sequence);
        }
        continue;
      }
      Segment s = table.get(Position.segment(position));
      if (s == null || s.sequence(Position.offset(position)) > sequence) {
        throw conflict("key " + Bytes.hex(key, 32) + " was written", sequence);
      }
    }
    for (Scan scan : scans) {
      KeyRange walked = scan.walked();
      if (walked != null) {
        validate(index, table, ordered, sequence, scan, walked);
      }
    }
  }

  private static void validate(KeyIndex index, SegmentTable table, OrderedKeys ordered, long sequence, Scan scan,
      KeyRange walked) {
    long present = 0;
    for (Iterator<byte[]> it = ordered.iterate(walked); it.hasNext();) {
      byte[] key = it.next();
      long position = index.find(key, KeyHash.hash(key));
      if (position == Position.NONE) {
        continue;
      }
      Segment s = table.get(Position.segment(position));
      int off = Position.offset(position);
      if (s == null || s.sequence(off) > sequence) {
        throw conflict("key " + Bytes.hex(key, 32) + " inside the scanned " + walked + " was written", sequence);
      }
      if (s.type(off) == SegmentFormat.TYPE_PUT) {
        present++;
      }
    }
    if (present != scan.snapshotKeys) {
      // A guard: a key deleted since the snapshot keeps its tombstone, newer than the snapshot,
      // because compaction drops no tombstone an open snapshot predates; if one ever went, the
      // count would still tell.
      throw conflict("a key inside the scanned " + walked + " was deleted", sequence);
    }
  }

  private static ConflictException conflict(String what, long sequence) {
    return new ConflictException("transaction conflict: " + what + " after this transaction's snapshot"
        + " (sequence " + sequence + ") by a commit that came first; nothing was written. Run the"
        + " transaction again on a new snapshot (Store.update and Store.compute retry for you)");
  }
}
