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
  private final List<Entry> dropped = new ArrayList<>();
  private final List<Entry> copied = new ArrayList<>();
  private final List<Entry> tombstones = new ArrayList<>();

  CompactionJournal(KeyIndex index) {
    this.index = index;
  }

  /** A superseded record of {@code key} is left behind in its victim. */
  void dropped(byte[] key, int hash) {
    index.dropped(key, hash);
    dropped.add(new Entry(key, hash, null, 0, (byte) 0, 0));
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
    for (Entry d : dropped) {
      index.addVersion(d.key, d.hash);
    }
    for (Entry c : copied) {
      index.addVersion(c.key, c.hash);
      c.victim.liveness().markDead(c.offset, c.type, c.size);
    }
    clear();
  }

  private void clear() {
    dropped.clear();
    copied.clear();
    tombstones.clear();
  }
}
