package dev.sett.core;

import dev.sett.api.InvalidInputException;
import dev.sett.api.WriteBatch;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch made ready for the write lock: the operations left once a later one on the same key has
 * overridden the earlier (so each key's version chain gains one record), their keys' hashes, when
 * each put expires, each record's size on disk and the total. Built by the writing thread before it
 * takes the lock, so that the lock covers only the appends and the index updates.
 *
 * <p>Immutable once built; confined to the writing thread.
 */
final class BatchPlan {
  final List<WriteBatch.Op> ops;
  final int[] hashes;
  final long[] expiries;
  final int[] sizes;
  final long total;
  final boolean anyExpires;

  private BatchPlan(List<WriteBatch.Op> ops, int[] hashes, long[] expiries, int[] sizes, long total,
      boolean anyExpires) {
    this.ops = ops;
    this.hashes = hashes;
    this.expiries = expiries;
    this.sizes = sizes;
    this.total = total;
    this.anyExpires = anyExpires;
  }

  /**
   * Plans {@code batch} (not empty), copying its list of operations first, so that a caller changing
   * the batch meanwhile changes nothing here; asks {@code clock} only if a put expires. Throws
   * {@link InvalidInputException} if the batch's records would not fit in one segment.
   */
  static BatchPlan of(WriteBatch batch, Duration defaultTtl, InstantSource clock, int segmentSize) {
    List<WriteBatch.Op> all = List.copyOf(batch.operations());
    int[] allHashes = new int[all.size()];
    List<WriteBatch.Op> ops = lastOfEachKey(all, allHashes);
    int n = ops.size();
    int[] hashes = allHashes;
    if (n != all.size()) {
      hashes = new int[n];
      for (int i = 0; i < n; i++) {
        hashes[i] = KeyHash.hash(ops.get(i).key());
      }
    }
    long now = defaultTtl != null || hasTtl(ops) ? clock.millis() : 0;
    long[] expiries = new long[n];
    int[] sizes = new int[n];
    boolean anyExpires = false;
    long total = 0;
    for (int i = 0; i < n; i++) {
      WriteBatch.Op op = ops.get(i);
      expiries[i] = op.isDelete() ? SegmentFormat.NEVER : Expiries.at(op.ttl(), defaultTtl, now);
      anyExpires |= expiries[i] != SegmentFormat.NEVER;
      sizes[i] = SegmentFormat.recordSize(op.key().length, op.isDelete() ? 0 : op.value().length,
          expiries[i] != SegmentFormat.NEVER);
      total += sizes[i];
    }
    if (total > segmentSize - SegmentFormat.HEADER_SIZE) {
      throw new InvalidInputException("a batch of " + total + " bytes on disk does not fit in one segment of "
          + segmentSize + " bytes; split it into smaller batches or raise segmentSize");
    }
    return new BatchPlan(ops, hashes, expiries, sizes, total, anyExpires);
  }

  int size() {
    return ops.size();
  }

  /** The record type of operation {@code i}. */
  byte type(int i) {
    return ops.get(i).isDelete() ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT;
  }

  /** Whether any operation carries a ttl of its own. */
  private static boolean hasTtl(List<WriteBatch.Op> ops) {
    for (WriteBatch.Op op : ops) {
      if (op.ttl() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The operations of a batch without those a later one on the same key overrides, in the order of
   * each key's last operation; {@code hashes} receives every operation's key hash. An open-addressing
   * table of operation indices finds repeats without wrapping each key in an object.
   */
  private static List<WriteBatch.Op> lastOfEachKey(List<WriteBatch.Op> all, int[] hashes) {
    int n = all.size();
    int mask = Integer.highestOneBit(Math.max(2, n) * 2 - 1) * 2 - 1;
    int[] slots = new int[mask + 1];
    boolean[] superseded = null;
    for (int i = 0; i < n; i++) {
      byte[] key = all.get(i).key();
      int h = KeyHash.hash(key);
      hashes[i] = h;
      int j = h & mask;
      for (;; j = (j + 1) & mask) {
        int k = slots[j] - 1;
        if (k < 0) {
          break;
        }
        if (hashes[k] == h && java.util.Arrays.equals(all.get(k).key(), key)) {
          if (superseded == null) {
            superseded = new boolean[n];
          }
          superseded[k] = true;
          break;
        }
      }
      slots[j] = i + 1;
    }
    if (superseded == null) {
      return all;
    }
    List<WriteBatch.Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!superseded[i]) {
        ops.add(all.get(i));
      }
    }
    return ops;
  }
}
