package dev.sett.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one compaction run changed in the index before its victims were retired, so that a run
 * that fails half-way (a full disk when it rolls, a damaged record in a later victim, a failed
 * force) leaves the index's accounting exactly as the files on disk are.
 *
 * <p>The index counts each key's records on disk, and a tombstone may be dropped only when it is
 * its key's last record. A run changes the counts as if its victims were already gone: a dropped
 * record is no longer counted, and a copied record replaces its original. If the victims then stay
 * (the run failed), both assumptions are false: {@link #undo} counts the dropped records again and
 * counts each copy's original as the extra record it now is (marking it dead, since the index points
 * at the copy). Dropping a tombstone takes its key out of the index, which cannot be undone
 * simply; so those removals are only {@link #removeTombstone recorded} and carried out by
 * {@link #commit} once the victims are out of the segment table.
 *
 * <p>Not thread-safe: used by the one running compaction, under the store's write lock.
 */
final class CompactionJournal {
  private record Entry(byte[] key, int hash, Segment victim, int offset, byte type, int size) {
  }

  private final KeyIndex index;
  /**
   * The dropped records, as {@code (victim number << 32) | offset}, victims numbered in
   * {@link #droppedFrom}: most records of a victim under overwrites are dropped, and keeping each
   * one's key and an entry object until the run ends made every young collection during a large
   * run copy them (they are needed only by {@link #undo}, which reads the keys again from the
   * victims, still mapped and in the segment table when a run is undone).
   */
  private long[] dropped = new long[64];
  private int droppedCount;
  private final List<Segment> droppedFrom = new ArrayList<>();
  private final List<Entry> copied = new ArrayList<>();
  private final List<Entry> tombstones = new ArrayList<>();

  CompactionJournal(KeyIndex index) {
    this.index = index;
  }

  /** A superseded record of {@code key}, at {@code offset} of {@code victim}, is left behind. */
  void dropped(byte[] key, int hash, Segment victim, int offset) {
    index.dropped(key, hash);
    int last = droppedFrom.size() - 1;
    if (last < 0 || droppedFrom.get(last) != victim) {
      droppedFrom.add(victim);
      last++;
    }
    if (droppedCount == dropped.length) {
      dropped = java.util.Arrays.copyOf(dropped, droppedCount * 2);
    }
    dropped[droppedCount++] = ((long) last << 32) | (offset & 0xFFFF_FFFFL);
  }

  /** The newest record of {@code key} was copied from {@code victim} at {@code offset} to {@code to}. */
  void moved(byte[] key, int hash, Segment victim, int offset, long to, byte type, int size, boolean dead,
      long expiresAt) {
    index.moved(hash, Position.of(victim.id(), offset), to, type, size, dead, expiresAt);
    copied.add(new Entry(key, hash, victim, offset, type, size));
  }

  /** A tombstone that shadows nothing is left behind; its key leaves the index at {@link #commit}. */
  void removeTombstone(byte[] key, int hash, Segment victim, int offset) {
    tombstones.add(new Entry(key, hash, victim, offset, SegmentFormat.TYPE_DELETE, 0));
  }

  /** An expired put, its key's only record, is left behind; its key leaves the index at {@link #commit}. */
  void removeExpired(byte[] key, int hash, Segment victim, int offset) {
    tombstones.add(new Entry(key, hash, victim, offset, SegmentFormat.TYPE_PUT, 0));
  }

  /**
   * The victims are leaving the segment table (the caller holds the write lock): takes the keys of
   * the dropped tombstones and expired records out of the index. One that a write superseded
   * meanwhile is just one record fewer of its key.
   */
  void commit() {
    for (Entry t : tombstones) {
      if (!index.removeKey(t.key, t.hash, Position.of(t.victim.id(), t.offset), t.type)) {
        index.dropped(t.key, t.hash);
      }
    }
    clear();
  }

  /** The run failed and its victims stay (the caller holds the write lock): see the class comment. */
  void undo() {
    for (int i = 0; i < droppedCount; i++) {
      byte[] key = droppedFrom.get((int) (dropped[i] >>> 32)).copyKey((int) dropped[i]);
      index.addVersion(key, KeyHash.hash(key));
    }
    for (Entry c : copied) {
      index.addVersion(c.key, c.hash);
      c.victim.liveness().markDead(c.offset, c.type, c.size);
    }
    clear();
  }

  private void clear() {
    droppedCount = 0;
    droppedFrom.clear();
    copied.clear();
    tombstones.clear();
  }
}
